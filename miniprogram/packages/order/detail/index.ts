import { messageOf, ServiceError } from '../../../services/cloud';
import { cancelOrder, getMyOrder, ORDER_STATUS, type MyOrder } from '../../../services/orders';
import { formatDateTime, formatPrice } from '../../../utils/format';

type OrderDetailData = {
  status: 'loading' | 'ready' | 'error';
  errorMessage: string;
  orderId: string;
  order: MyOrder | null;
  statusText: string;
  statusTheme: string;
  amountText: string;
  originalAmountText: string;
  /** label and time of each moment of the order, in order */
  times: Array<{ label: string; value: string }>;
  cancelling: boolean;
};

type OrderDetailMethods = {
  load(): Promise<void>;
  show(order: MyOrder): void;
  onRetry(): void;
  onCancel(): Promise<void>;
  onCourseTap(): void;
};


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
    times: [],
    cancelling: false,
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
    this.setData({
      status: 'ready',
      order,
      statusText: ORDER_STATUS[order.status].label,
      statusTheme: ORDER_STATUS[order.status].theme,
      amountText: formatPrice(order.amount),
      originalAmountText: order.originalAmount ? formatPrice(order.originalAmount) : '',
      times: [
        { label: '下单时间', value: formatDateTime(order.createdAt) },
        ...(order.paidAt ? [{ label: '支付时间', value: formatDateTime(order.paidAt) }] : []),
        ...(order.closedAt ? [{ label: '关闭时间', value: formatDateTime(order.closedAt) }] : []),
      ],
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
      void wx.showToast({ title: messageOf(e, '操作失败，请稍后重试'), icon: 'none' });
      // e.g. the learner paid meanwhile: show the order as it is now
      if (e instanceof ServiceError && e.code === 'CONFLICT') void this.load();
    } finally {
      this.setData({ cancelling: false });
    }
  },

  onCourseTap() {
    const { order } = this.data;
    if (order) void wx.navigateTo({ url: `/packages/course/detail/index?id=${order.item.courseId}` });
  },
});
