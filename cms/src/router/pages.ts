import type { RouteComponent } from 'vue-router';

type Lazy = () => Promise<RouteComponent>;

/** The page of each screen of NAV, loaded when first opened. */
export const PAGES: Record<string, Lazy> = {
  '/dashboard': () => import('@/pages/dashboard/index.vue'),
  '/courses': () => import('@/pages/courses/list/index.vue'),
  '/catalog-settings': () => import('@/pages/catalog-settings/index.vue'),
  '/orders': () => import('@/pages/orders/list/index.vue'),
  '/refunds': () => import('@/pages/refunds/index.vue'),
  '/campaigns': () => import('@/pages/campaigns/index.vue'),
  '/groups': () => import('@/pages/groups/index.vue'),
  '/distribution': () => import('@/pages/distribution/index.vue'),
  '/withdrawals': () => import('@/pages/withdrawals/index.vue'),
  '/promoters': () => import('@/pages/promoters/index.vue'),
  '/learners': () => import('@/pages/learners/list/index.vue'),
  '/homework': () => import('@/pages/homework/index.vue'),
  '/checkins': () => import('@/pages/community/index.vue'),
  '/reports': () => import('@/pages/reports/index.vue'),
  '/reviews': () => import('@/pages/community/index.vue'),
  '/staff': () => import('@/pages/staff/index.vue'),
  '/audit': () => import('@/pages/audit/index.vue'),
};
