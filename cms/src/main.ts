import 'tdesign-vue-next/es/style/index.css';
import { createApp, h } from 'vue';
import { connect } from './api/cloud';
import App from './App.vue';
import { router } from './router';
import { registerTDesign } from './tdesign';
import './styles.css';

connect().then(
  () => createApp(App).use(registerTDesign).use(router).mount('#app'),
  (e: Error) => createApp({ render: () => h('p', { class: 'boot-error' }, e.message) }).mount('#app'),
);
