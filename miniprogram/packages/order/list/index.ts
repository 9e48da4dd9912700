import { nextPage, showListFailure } from '../../../utils/paging';
import { messageOf } from '../../../services/cloud';
import { listMyOrders, ORDER_STATUS, type MyOrder } from '../../../services/orders';
import { formatDateTime, formatPrice } from '../../../utils/format';

type OrderItem = MyOrder & { statusText: string; statusTheme: string; amountText: string; createdText: string };

type OrdersData = {
  status: 'loading' | 'ready' | 'error';
  errorMessage: string;
  orders: OrderItem[];
  page: number;
  hasMore: boolean;
  loadingMore: boolean;
};

type OrdersMethods = {
  loadPage(page: number): Promise<void>;
  onRetry(): void;
  onOrderTap(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { id: string }>): void;
  /** set when the learner left the page: coming back (e.g. from a cancelled order) reads the list again */
  hidden: boolean;
};

const toOrderItem = (order: MyOrder): OrderItem => ({
  ...order,
  statusText: ORDER_STATUS[order.status].label,
  statusTheme: ORDER_STATUS[order.status].theme,
  amountText: formatPrice(order.amount),
  createdText: formatDateTime(order.createdAt),
});

Page<OrdersData, OrdersMethods>({
  data: {
    status: 'loading',
    errorMessage: '',
    orders: [],
    page: 0,
    hasMore: false,
    loadingMore: false,
  },

  hidden: false,

  onLoad() {
    void this.loadPage(1);
  },

  onShow() {
    if (!this.hidden) return;
    this.hidden = false;
    void this.loadPage(1);
  },

  onHide() {
    this.hidden = true;
  },

  async onPullDownRefresh() {
    await this.loadPage(1);
    wx.stopPullDownRefresh();
  },

  onReachBottom() {
    const page = nextPage(this.data);
    if (page) void this.loadPage(page);
  },

  async loadPage(page) {
    if (page > 1) this.setData({ loadingMore: true });
    else if (this.data.status !== 'ready') this.setData({ status: 'loading', errorMessage: '' });
    try {
      const result = await listMyOrders({ page });
      const orders = result.orders.map(toOrderItem);
      this.setData({
        status: 'ready',
        orders: page === 1 ? orders : [...this.data.orders, ...orders],
        page,
        hasMore: result.hasMore,
        loadingMore: false,
      });
    } catch (e) {
      showListFailure(this, messageOf(e));
    }
  },

  onRetry() {
    void this.loadPage(1);
  },

  onOrderTap(e) {
    void wx.navigateTo({ url: `/packages/order/detail/index?id=${e.currentTarget.dataset.id}` });
  },
});
