/**
 * How a coupon reads to learners. The same wording as domain/coupons/text.ts (which the console uses):
 * the mini program package cannot bundle code from outside miniprogram/, so it keeps its own copy, and
 * test/miniprogram/coupons.test.ts checks that both say the same.
 */
import type { CouponRule, CouponScope } from '../../domain/coupons/model';
import { formatAmount as yuan } from './format';

/** What a coupon takes off, e.g. 减¥10, 8.5折，最多减¥20, 满¥100减¥20. */
export function couponRuleText(rule: CouponRule): string {
  switch (rule.kind) {
    case 'amount':
      return `减${yuan(rule.amountOff)}`;
    case 'percent':
      return `${(100 - rule.percentOff) / 10}折，最多减${yuan(rule.capAmount)}`;
    case 'threshold':
      return `满${yuan(rule.minAmount)}减${yuan(rule.amountOff)}`;
  }
}

/** Where a coupon applies: 全店通用, 指定课程：《A》《B》, or 指定 3 门课程 without (all) the titles. */
export function couponScopeText(scope: CouponScope, courseTitles?: Record<string, string>): string {
  if (scope === 'school') return '全店通用';
  const titles = scope.courseIds.map((id) => courseTitles?.[id]);
  if (titles.every((t): t is string => t !== undefined)) return `指定课程：${titles.map((t) => `《${t}》`).join('')}`;
  return `指定 ${scope.courseIds.length} 门课程`;
}

