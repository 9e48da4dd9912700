import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import { restoreSession } from '@/api/auth';
import { can, profile } from '@/session';
import { actionFor, landingFor, NAV } from './nav';
import { PAGES } from './pages';

/** Every screen of NAV under the layout, and the pages a screen opens from it (a course's editor, a learner). */
const screens: RouteRecordRaw[] = NAV.flatMap((section) => section.items).map((item) => ({
  path: item.path.slice(1),
  component: PAGES[item.path],
  meta: { title: item.title },
}));

export const router = createRouter({
  // Static hosting serves one page: the route lives in the hash, so any link opens the console.
  history: createWebHashHistory(),
  routes: [
    { path: '/login', component: () => import('@/pages/login/index.vue'), meta: { title: '登录', public: true } },
    {
      path: '/',
      component: () => import('@/layouts/AppLayout.vue'),
      children: [
        ...screens,
        { path: 'courses/:courseId', component: () => import('@/pages/courses/editor/index.vue'), meta: { title: '编辑课程' } },
        { path: 'learners/:openid', component: () => import('@/pages/learners/detail/index.vue'), meta: { title: '学员详情' } },
        { path: 'orders/:orderId', component: () => import('@/pages/orders/detail/index.vue'), meta: { title: '订单详情' } },
        { path: 'forbidden', component: () => import('@/pages/forbidden/index.vue'), meta: { title: '无权访问' } },
      ],
    },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  if (!profile.value) {
    const restored = await restoreSession();
    if (!restored.ok) return { path: '/login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    profile.value = restored.data;
  }
  if (to.path === '/') return landingFor(profile.value.roles) ?? '/forbidden';
  const action = actionFor(to.path);
  if (action && !can(action)) return '/forbidden';
  return true;
});

router.afterEach((to) => {
  document.title = `${String(to.meta.title ?? '')} · 知识学堂管理台`;
});

declare module 'vue-router' {
  interface RouteMeta {
    title?: string;
    /** open without signing in */
    public?: boolean;
  }
}
