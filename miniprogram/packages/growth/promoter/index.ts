import { messageOf } from '../../../services/cloud';
import { getPromoterProfile, getWallet, joinPromoters, requestWithdrawal, type Commission, type PromoterProfile, type Wallet, type Withdrawal } from '../../../services/distribution';
import { formatAmount } from '../../../utils/format';
import { reloadHooks, reloadWhenShownAgain, showActionFailure, showLoadFailure, showLoading } from '../../../utils/loading';

const COMMISSION_STATUS: Record<Commission['status'], { text: string; theme: string }> = {
  pending: { text: '待结算', theme: 'warning' },
  available: { text: '可提现', theme: 'success' },
  requested: { text: '提现中', theme: 'primary' },
  withdrawn: { text: '已提现', theme: 'default' },
  reversed: { text: '已退款', theme: 'danger' },
};

const WITHDRAWAL_STATUS: Record<Withdrawal['status'], { text: string; theme: string }> = {
  requested: { text: '处理中', theme: 'primary' },
  paid: { text: '已打款', theme: 'success' },
  rejected: { text: '未通过', theme: 'danger' },
};

const pad = (n: number) => String(n).padStart(2, '0');
/** An ISO time -> "11-03", in the learner's time zone. */
const monthDay = (iso: string) => {
  const date = new Date(iso);
  return `${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
};

type TotalCard = { key: keyof Wallet['totals']; label: string; amountText: string };
type CommissionRow = { orderId: string; title: string; orderAmountText: string; amountText: string; statusText: string; statusTheme: string; dateText: string };
type WithdrawalRow = { id: string; amountText: string; statusText: string; statusTheme: string; dateText: string; note: string };

const TOTAL_LABELS: Array<[TotalCard['key'], string]> = [
  ['pending', '待结算'],
  ['available', '可提现'],
  ['requested', '提现中'],
  ['withdrawn', '已提现'],
];

const commissionRow = (c: Commission): CommissionRow => ({
  orderId: c.orderId,
  title: c.title,
  orderAmountText: `订单金额 ${formatAmount(c.orderAmount)}`,
  amountText: `佣金 ${formatAmount(c.amount)}`,
  statusText: COMMISSION_STATUS[c.status].text,
  statusTheme: COMMISSION_STATUS[c.status].theme,
  dateText: c.status === 'pending' ? `预计 ${monthDay(c.availableAt)} 可提现` : c.status === 'reversed' && c.reversedAt ? `${monthDay(c.reversedAt)} 退款` : `${monthDay(c.paidAt)} 成交`,
});

const withdrawalRow = (w: Withdrawal): WithdrawalRow => ({
  id: w.id,
  amountText: formatAmount(w.amount),
  statusText: WITHDRAWAL_STATUS[w.status].text,
  statusTheme: WITHDRAWAL_STATUS[w.status].theme,
  dateText: w.decidedAt ? `${monthDay(w.requestedAt)} 申请 · ${monthDay(w.decidedAt)} 处理` : `${monthDay(w.requestedAt)} 申请`,
  note: w.note ?? '',
});

type PromoterData = {
  status: 'loading' | 'ready' | 'error';
  errorMessage: string;
  profile: PromoterProfile | null;
  rateText: string;
  joining: boolean;
  totals: TotalCard[];
  commissions: CommissionRow[];
  withdrawals: WithdrawalRow[];
  page: number;
  hasMore: boolean;
  loadingMore: boolean;
  withdrawing: boolean;
};

type PromoterMethods = {
  load(): Promise<void>;
  loadMore(): Promise<void>;
  onRetry(): void;
  onJoin(): Promise<void>;
  onWithdraw(): Promise<void>;
  hidden: boolean;
};

/**
 * 推广中心: a learner who is not a promoter sees the school's rate and 成为推广员 (or why they cannot join);
 * a promoter sees their balances, 申请提现, their commissions (paged) and their withdrawals with staff's note.
 */
Page<PromoterData, PromoterMethods>({
  data: {
    status: 'loading',
    errorMessage: '',
    profile: null,
    rateText: '',
    joining: false,
    totals: [],
    commissions: [],
    withdrawals: [],
    page: 0,
    hasMore: false,
    loadingMore: false,
    withdrawing: false,
  },

  ...reloadHooks,
  ...reloadWhenShownAgain,

  onLoad() {
    void this.load();
  },

  /** The profile, then (for a promoter) the wallet's first page. */
  async load() {
    showLoading(this);
    try {
      const profile = await getPromoterProfile();
      const wallet = profile.promoter ? await getWallet({ page: 1 }) : null;
      this.setData({
        status: 'ready',
        profile,
        rateText: `好友通过你的分享购买课程，你可获得实付金额 ${profile.rate}% 的佣金`,
        totals: wallet ? TOTAL_LABELS.map(([key, label]) => ({ key, label, amountText: formatAmount(wallet.totals[key]) })) : [],
        commissions: wallet ? wallet.commissions.map(commissionRow) : [],
        withdrawals: wallet ? wallet.withdrawals.map(withdrawalRow) : [],
        page: wallet ? wallet.page : 0,
        hasMore: wallet ? wallet.hasMore : false,
      });
    } catch (e) {
      showLoadFailure(this, messageOf(e));
    }
  },

  onReachBottom() {
    const { status, hasMore, loadingMore, profile } = this.data;
    if (status === 'ready' && profile?.promoter && hasMore && !loadingMore) void this.loadMore();
  },

  async loadMore() {
    this.setData({ loadingMore: true });
    try {
      const wallet = await getWallet({ page: this.data.page + 1 });
      this.setData({ commissions: [...this.data.commissions, ...wallet.commissions.map(commissionRow)], page: wallet.page, hasMore: wallet.hasMore });
    } catch (e) {
      void wx.showToast({ title: messageOf(e), icon: 'none' });
    } finally {
      this.setData({ loadingMore: false });
    }
  },

  async onJoin() {
    if (this.data.joining) return;
    this.setData({ joining: true });
    try {
      await joinPromoters();
      void wx.showToast({ title: '你已成为推广员', icon: 'success' });
      await this.load();
    } catch (e) {
      showActionFailure(this, e, '加入失败，请稍后重试');
    } finally {
      this.setData({ joining: false });
    }
  },

  /** Asks for everything withdrawable; a refusal (below ¥1, one under way) says why; the wallet is read again either way. */
  async onWithdraw() {
    if (this.data.withdrawing) return;
    this.setData({ withdrawing: true });
    try {
      const withdrawal = await requestWithdrawal();
      void wx.showToast({ title: `已申请提现 ${formatAmount(withdrawal.amount)}`, icon: 'none' });
    } catch (e) {
      void wx.showToast({ title: messageOf(e, '申请失败，请稍后重试'), icon: 'none' });
    } finally {
      this.setData({ withdrawing: false });
    }
    await this.load();
  },

  /** A promoter shares the home page with their code; others share it as it is. */
  onShareAppMessage() {
    const code = this.data.profile?.promoter ? this.data.profile.code : undefined;
    return { title: '一起来学习吧', path: code ? `/pages/home/index?ref=${code}` : '/pages/home/index' };
  },
});
