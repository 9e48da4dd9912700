/**
 * The console's screens as data: where each is, its name in the side menu, and the action of the role table
 * (domain/staff/roles.ts) it needs. The menu a staff member sees and the screens they may open both come from
 * here, so a screen their roles do not allow is neither shown nor reachable (the functions refuse it anyway).
 */
import { allows, type Action, type Role } from '@domain/staff/roles';

/** The menu's icons, by their TDesign names (icons.ts has their components). */
export type NavIcon = 'chart-bar' | 'book' | 'setting-1' | 'shop' | 'money' | 'user-list' | 'edit-1' | 'error-circle' | 'usergroup' | 'history' | 'calendar' | 'chat' | 'discount' | 'usergroup-add' | 'share' | 'wallet' | 'user-talk';

export interface NavItem {
  path: string;
  title: string;
  icon: NavIcon;
  action: Action;
}

export interface NavSection {
  title: string;
  items: NavItem[];
}

export const NAV: NavSection[] = [
  { title: '概览', items: [{ path: '/dashboard', title: '数据概览', icon: 'chart-bar', action: 'dashboard.read' }] },
  {
    title: '课程',
    items: [
      { path: '/courses', title: '课程管理', icon: 'book', action: 'catalog.edit' },
      { path: '/catalog-settings', title: '讲师·分类·推荐位', icon: 'setting-1', action: 'catalog.edit' },
    ],
  },
  {
    title: '交易',
    items: [
      { path: '/orders', title: '订单', icon: 'shop', action: 'orders.read' },
      { path: '/refunds', title: '退款审核', icon: 'money', action: 'refunds.review' },
    ],
  },
  {
    // Shown to a role with either item: coupons are the editors', the group-buy list (orders behind it) support's.
    title: '营销',
    items: [
      { path: '/campaigns', title: '优惠券', icon: 'discount', action: 'campaigns.manage' },
      { path: '/groups', title: '拼团', icon: 'usergroup-add', action: 'orders.read' },
      { path: '/distribution', title: '分销设置', icon: 'share', action: 'campaigns.manage' },
      { path: '/promoters', title: '推广员', icon: 'user-talk', action: 'campaigns.manage' },
      { path: '/withdrawals', title: '提现审核', icon: 'wallet', action: 'withdrawals.review' },
    ],
  },
  {
    title: '学员与教学',
    items: [
      { path: '/learners', title: '学员', icon: 'user-list', action: 'learners.read' },
      { path: '/homework', title: '作业批改', icon: 'edit-1', action: 'homework.review' },
      // Teachers look after their courses' check-ins, support the public reviews: a screen each, by its action.
      { path: '/checkins', title: '打卡管理', icon: 'calendar', action: 'homework.review' },
      { path: '/reports', title: '举报处理', icon: 'error-circle', action: 'reports.resolve' },
      { path: '/reviews', title: '评价管理', icon: 'chat', action: 'reports.resolve' },
    ],
  },
  {
    title: '学校',
    items: [
      { path: '/staff', title: '员工与角色', icon: 'usergroup', action: 'staff.manage' },
      { path: '/audit', title: '操作日志', icon: 'history', action: 'audit.read' },
    ],
  },
];

/** The sections and items `roles` may open; a section with none is left out. */
export function menusFor(roles: readonly Role[]): NavSection[] {
  return NAV.map((section) => ({ ...section, items: section.items.filter((item) => allows(roles, item.action)) })).filter((section) => section.items.length > 0);
}

/** Where a staff member lands after sign-in: their first screen (the dashboard when they may read it). */
export function landingFor(roles: readonly Role[]): string | undefined {
  return menusFor(roles)[0]?.items[0]?.path;
}

/** The action a screen needs, by its path (a screen's sub-paths, such as a course's editor, need the same). */
export function actionFor(path: string): Action | undefined {
  for (const section of NAV) {
    for (const item of section.items) {
      if (path === item.path || path.startsWith(`${item.path}/`)) return item.action;
    }
  }
  return undefined;
}
