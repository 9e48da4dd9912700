import { messageOf } from '../../../services/cloud';
import { listMyCoupons, type MyCoupon } from '../../../services/coupons';
import { couponRuleText, couponScopeText } from '../../../utils/coupons';
import { formatDate } from '../../../utils/format';
import { reloadHooks, reloadWhenShownAgain, showLoadFailure, showLoading } from '../../../utils/loading';

/** The tabs: 可使用 (locked ones too: held by an unpaid order, back if it closes), 已使用, 已过期. */
type Tab = 'usable' | 'used' | 'expired';

const TAB_OF: Record<MyCoupon['status'], Tab> = { available: 'usable', locked: 'usable', used: 'used', expired: 'expired' };

const EMPTY_TEXT: Record<Tab, string> = {
  usable: '暂无可使用的优惠券',
  used: '暂无已使用的优惠券',
  expired: '暂无已过期的优惠券',
};

type CouponCard = { id: string; ruleText: string; title: string; scopeText: string; expiryText: string; stateText: string };

function cardOf(coupon: MyCoupon): CouponCard {
  return {
    id: coupon.id,
    ruleText: couponRuleText(coupon.rule),
    title: coupon.title,
    scopeText: couponScopeText(coupon.scope),
    expiryText: `有效期至 ${formatDate(coupon.expiresAt)}`,
    stateText: coupon.status === 'locked' ? '待支付订单使用中' : coupon.status === 'used' ? '已使用' : coupon.status === 'expired' ? '已过期' : '',
  };
}

type CouponsData = {
  status: 'loading' | 'ready' | 'error';
  errorMessage: string;
  tab: Tab;
  tabs: Record<Tab, CouponCard[]>;
  cards: CouponCard[];
  emptyText: string;
};

type CouponsMethods = {
  load(): Promise<void>;
  onRetry(): void;
  onTabChange(e: WechatMiniprogram.CustomEvent<{ value: Tab }>): void;
  show(tab: Tab): void;
  hidden: boolean;
};

/** 我的优惠券: one read of every coupon the learner holds, split into the three tabs. */
Page<CouponsData, CouponsMethods>({
  data: {
    status: 'loading',
    errorMessage: '',
    tab: 'usable',
    tabs: { usable: [], used: [], expired: [] },
    cards: [],
    emptyText: EMPTY_TEXT.usable,
  },

  ...reloadHooks,
  ...reloadWhenShownAgain,

  onLoad() {
    void this.load();
  },

  async load() {
    showLoading(this);
    try {
      const { coupons } = await listMyCoupons();
      const tabs: Record<Tab, CouponCard[]> = { usable: [], used: [], expired: [] };
      for (const coupon of coupons) tabs[TAB_OF[coupon.status]].push(cardOf(coupon));
      this.setData({ status: 'ready', tabs });
      this.show(this.data.tab);
    } catch (e) {
      showLoadFailure(this, messageOf(e));
    }
  },

  onTabChange(e) {
    this.show(e.detail.value);
  },

  show(tab) {
    this.setData({ tab, cards: this.data.tabs[tab], emptyText: EMPTY_TEXT[tab] });
  },
});
