import { messageOf } from '../../../services/cloud';
import { listPlans, type Plan } from '../../../services/membership';
import { purchase, type PurchaseHolder } from '../../../services/purchase';
import { formatDate, formatPrice } from '../../../utils/format';
import { reloadHooks, reloadWhenShownAgain, showLoadFailure, showLoading } from '../../../utils/loading';

type PlanItem = Plan & { priceText: string; originalPriceText: string; durationText: string };

type PlansData = {
  status: 'loading' | 'ready' | 'error';
  errorMessage: string;
  plans: PlanItem[];
  /** the learner's membership, as the status card says it; '' when they are not a member */
  membershipText: string;
  /** '续费' for a member (a plan extends the membership), '开通' otherwise */
  actionText: string;
  /** the plan being bought: further taps do nothing until it ends */
  purchasing: string;
};

type PlansMethods = {
  load(): Promise<void>;
  onRetry(): void;
  onBuy(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { id: string }>): Promise<void>;
  /** set when the learner left the page: coming back (e.g. from the pay result) reads the membership again */
  hidden: boolean;
} & PurchaseHolder;

const toItem = (plan: Plan): PlanItem => ({
  ...plan,
  priceText: formatPrice(plan.amount),
  originalPriceText: plan.originalAmount ? formatPrice(plan.originalAmount) : '',
  durationText: `${plan.durationDays} 天`,
});

Page<PlansData, PlansMethods>({
  data: {
    status: 'loading',
    errorMessage: '',
    plans: [],
    membershipText: '',
    actionText: '开通',
    purchasing: '',
  },

  purchaseKey: '',
  purchaseOf: '',

  ...reloadHooks,
  ...reloadWhenShownAgain,

  onLoad() {
    void this.load();
  },

  async load() {
    showLoading(this);
    try {
      const { plans, membership } = await listPlans();
      this.setData({
        status: 'ready',
        plans: plans.map(toItem),
        membershipText: membership ? (membership.expiresAt ? `会员有效期至 ${formatDate(membership.expiresAt)}，续费从到期日起顺延` : '你的会员长期有效') : '',
        actionText: membership ? '续费' : '开通',
      });
    } catch (e) {
      showLoadFailure(this, messageOf(e));
    }
  },

  async onBuy(e) {
    const plan = this.data.plans.find((p) => p.id === e.currentTarget.dataset.id);
    if (!plan || this.data.purchasing) return;
    this.setData({ purchasing: plan.id });
    try {
      await purchase(this, { planId: plan.id }, {
        title: `支付 ${plan.priceText}`,
        content: `${this.data.actionText}《${plan.title}》，${plan.durationText}内标有“会员免费”的课程可直接学习。`,
      });
    } finally {
      this.setData({ purchasing: '' });
    }
  },
});
