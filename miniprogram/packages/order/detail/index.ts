import { messageOf } from '../../../services/cloud';
import { groupPath } from '../../../services/groups';
import { cancelOrder, getMyOrder, ORDER_STATUS, requestRefund, type MyOrder } from '../../../services/orders';
import { formatDateTime, formatPrice } from '../../../utils/format';
import { showActionFailure } from '../../../utils/loading';

type Row = { label: string; value: string };

type OrderDetailData = {
  status: 'loading' | 'ready' | 'error';
  errorMessage: string;
  orderId: string;
  order: MyOrder | null;
  statusText: string;
  statusTheme: string;
  amountText: string;
  originalAmountText: string;
  /** the coupon the order uses: its title and what it took off ('' without one) */
  couponTitle: string;
  couponText: string;
  /** the group-buy the order pays a seat in: 我发起的拼团 / 参与的拼团 ('' for none) */
  groupText: string;
  /** label and time of each moment of the order, in order */
  times: Row[];
  cancelling: boolean;
  /** the server says a refund may be requested now */
  refundable: boolean;
  /** the course's refund rule, as shown before purchase */
  refundRule: string;
  /** why no refund can be requested, as the server says it */
  refundHint: string;
  /** the refund asked for: amount, reason, staff's answer, times */
  refundRows: Row[];
  /** the learner opened the refund form */
  refundFormVisible: boolean;
  refundReason: string;
  requesting: boolean;
};

type OrderDetailMethods = {
  load(): Promise<void>;
  show(order: MyOrder): void;
  onRetry(): void;
  onCancel(): Promise<void>;
  onCourseTap(): void;
  onGroupTap(): void;
  onRefundOpen(): void;
  onRefundClose(): void;
  onReasonChange(e: WechatMiniprogram.CustomEvent<{ value: string }>): void;
  onRefundSubmit(): Promise<void>;
};

/** What the learner reads about the refund they asked for (or staff started). */
function refundRowsOf(order: MyOrder): Row[] {
  const refund = order.refund;
  if (!refund?.requestedAt) return [];
  return [
    { label: '退款金额', value: formatPrice(refund.amount) },
    { label: '退款原因', value: refund.reason ?? '' },
    { label: '申请时间', value: formatDateTime(refund.requestedAt) },
    ...(refund.decision && !refund.decision.approved ? [{ label: '审核结果', value: refund.decision.note ? `未通过：${refund.decision.note}` : '未通过' }] : []),
    ...(refund.refundedAt ? [{ label: '退款时间', value: formatDateTime(refund.refundedAt) }] : []),
  ];
}

Page<OrderDetailData, OrderDetailMethods>({
  data: {
    status: 'loading',
    errorMessage: '',
    orderId: '',
    order: null,
    statusText: '',
    statusTheme: 'default',
    amountText: '',
    originalAmountText: '',
    couponTitle: '',
    couponText: '',
    groupText: '',
    times: [],
    cancelling: false,
    refundable: false,
    refundRule: '',
    refundHint: '',
    refundRows: [],
    refundFormVisible: false,
    refundReason: '',
    requesting: false,
  },

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ orderId: query.id ?? '' });
    void this.load();
  },

  async load() {
    this.setData({ status: 'loading', errorMessage: '' });
    try {
      const { order } = await getMyOrder(this.data.orderId);
      this.show(order);
    } catch (e) {
      this.setData({ status: 'error', errorMessage: messageOf(e) });
    }
  },

  show(order) {
    const refund = order.refund;
    this.setData({
      status: 'ready',
      order,
      statusText: ORDER_STATUS[order.status].label,
      statusTheme: ORDER_STATUS[order.status].theme,
      amountText: formatPrice(order.amount),
      originalAmountText: order.originalAmount ? formatPrice(order.originalAmount) : '',
      couponTitle: order.coupon?.title ?? '',
      couponText: order.coupon ? `-${formatPrice(order.coupon.discount)}` : '',
      groupText: order.group ? (order.group.leader ? '我发起的拼团' : '参与的拼团') : '',
      times: [
        { label: '下单时间', value: formatDateTime(order.createdAt) },
        ...(order.paidAt ? [{ label: '支付时间', value: formatDateTime(order.paidAt) }] : []),
        ...(order.closedAt ? [{ label: '关闭时间', value: formatDateTime(order.closedAt) }] : []),
      ],
      refundable: refund?.eligible ?? false,
      refundRule: refund?.rule ?? '',
      refundHint: refund?.ineligibleReason ?? '',
      refundRows: refundRowsOf(order),
      refundFormVisible: this.data.refundFormVisible && (refund?.eligible ?? false),
    });
  },

  onRetry() {
    void this.load();
  },

  async onCancel() {
    const { order, cancelling } = this.data;
    if (!order || order.status !== 'pending' || cancelling) return;
    this.setData({ cancelling: true });
    try {
      const { confirm } = await wx.showModal({
        title: '取消订单',
        content: `确定取消购买《${order.item.title}》的订单吗？取消后如需购买请重新下单。`,
        confirmText: '取消订单',
        cancelText: '再想想',
      });
      if (!confirm) return;
      const { order: closed } = await cancelOrder(order.id);
      this.show(closed);
      void wx.showToast({ title: '订单已取消', icon: 'none' });
    } catch (e) {
      // e.g. the learner paid meanwhile
      showActionFailure(this, e, '操作失败，请稍后重试');
    } finally {
      this.setData({ cancelling: false });
    }
  },

  onCourseTap() {
    const { order } = this.data;
    // A membership order opens no course.
    if (order && 'courseId' in order.item) void wx.navigateTo({ url: `/packages/course/detail/index?id=${order.item.courseId}` });
  },

  onGroupTap() {
    const group = this.data.order?.group;
    if (group) void wx.navigateTo({ url: groupPath(group.id) });
  },

  onRefundOpen() {
    if (this.data.refundable) this.setData({ refundFormVisible: true });
  },

  onRefundClose() {
    this.setData({ refundFormVisible: false });
  },

  onReasonChange(e) {
    this.setData({ refundReason: e.detail.value });
  },

  async onRefundSubmit() {
    const { order, requesting, refundable } = this.data;
    if (!order || !refundable || requesting) return;
    const reason = this.data.refundReason.trim();
    if (!reason) {
      void wx.showToast({ title: '请填写退款原因', icon: 'none' });
      return;
    }
    this.setData({ requesting: true });
    try {
      const loses = order.item.kind === 'gift' ? '好友将不能领取这份礼物' : `将不能继续学习《${order.item.title}》`;
      const { confirm } = await wx.showModal({
        title: '申请退款',
        content: `${formatPrice(order.refund?.amount ?? order.amount)} 将原路退回，退款完成后${loses}。确定申请吗？`,
        confirmText: '提交申请',
        cancelText: '再想想',
      });
      if (!confirm) return;
      const { order: requested } = await requestRefund({ orderId: order.id, reason });
      this.setData({ refundFormVisible: false, refundReason: '' });
      this.show(requested);
      void wx.showToast({ title: '退款申请已提交，请等待审核', icon: 'none' });
    } catch (e) {
      // e.g. the refund window closed meanwhile
      showActionFailure(this, e, '操作失败，请稍后重试');
    } finally {
      this.setData({ requesting: false });
    }
  },
});
