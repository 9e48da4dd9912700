/**
 * The TDesign components the console uses, registered one by one rather than the whole library, so the
 * bundle holds only these (a component added to a page is added here).
 */
import * as TDesign from 'tdesign-vue-next';
import type { App, Plugin } from 'vue';

const COMPONENTS: Plugin[] = [
  TDesign.Alert,
  TDesign.Aside,
  TDesign.Avatar,
  TDesign.Button,
  TDesign.Card,
  TDesign.Checkbox,
  TDesign.CheckboxGroup,
  TDesign.ConfigProvider,
  TDesign.Content,
  TDesign.DatePicker,
  TDesign.DateRangePicker,
  TDesign.Descriptions,
  TDesign.DescriptionsItem,
  TDesign.Dialog,
  TDesign.Divider,
  TDesign.Drawer,
  TDesign.Empty,
  TDesign.Form,
  TDesign.FormItem,
  TDesign.Header,
  TDesign.Image,
  TDesign.ImageViewer,
  TDesign.Input,
  TDesign.InputNumber,
  TDesign.Layout,
  TDesign.Link,
  TDesign.Loading,
  TDesign.Menu,
  TDesign.MenuGroup,
  TDesign.MenuItem,
  TDesign.Popconfirm,
  TDesign.Progress,
  TDesign.Radio,
  TDesign.RadioButton,
  TDesign.RadioGroup,
  TDesign.Select,
  TDesign.Space,
  TDesign.Statistic,
  TDesign.Switch,
  TDesign.TabPanel,
  TDesign.Table,
  TDesign.Tabs,
  TDesign.Tag,
  TDesign.Textarea,
  TDesign.Timeline,
  TDesign.TimelineItem,
];

export function registerTDesign(app: App) {
  for (const component of COMPONENTS) app.use(component);
}
