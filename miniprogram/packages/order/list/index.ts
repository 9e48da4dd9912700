import { listMyOrders, ORDER_STATUS, type MyOrder } from '../../../services/orders';
import { formatDateTime, formatPrice } from '../../../utils/format';
import { reloadHooks, reloadWhenShownAgain } from '../../../utils/loading';
import { pagedList, type PagedListMethods } from '../../../utils/paging';

type OrderItem = MyOrder & { statusText: string; statusTheme: string; amountText: string; createdText: string; couponText: string };

type OrdersData = {
  status: 'loading' | 'ready' | 'error';
  errorMessage: string;
  orders: OrderItem[];
  page: number;
  hasMore: boolean;
  loadingMore: boolean;
};

type OrdersMethods = PagedListMethods & {
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
  couponText: order.coupon ? `优惠券 -${formatPrice(order.coupon.discount)}` : '',
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

  ...pagedList<OrdersData>({
    items: 'orders',
    fetch: async (page) => {
      const { orders, hasMore } = await listMyOrders({ page });
      return { items: orders.map(toOrderItem), hasMore };
    },
  }),
  ...reloadHooks,
  ...reloadWhenShownAgain,

  onLoad() {
    void this.load();
  },

  onOrderTap(e) {
    void wx.navigateTo({ url: `/packages/order/detail/index?id=${e.currentTarget.dataset.id}` });
  },
});
