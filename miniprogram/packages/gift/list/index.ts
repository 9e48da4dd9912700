import { messageOf } from '../../../services/cloud';
import { giftPath, listMyGifts, type MyGift } from '../../../services/gifts';
import { formatDate } from '../../../utils/format';
import { nextPage, showListFailure } from '../../../utils/paging';
import { GIFT_STATUS } from '../status';

type GiftItem = MyGift & { createdText: string; statusLabel: string; statusTheme: string };

type GiftsData = {
  status: 'loading' | 'ready' | 'error';
  errorMessage: string;
  gifts: GiftItem[];
  page: number;
  hasMore: boolean;
  loadingMore: boolean;
};

type GiftsMethods = {
  loadPage(page: number): Promise<void>;
  onRetry(): void;
  onBrowse(): void;
  onGiftTap(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { id: string }>): void;
  /** set when the learner left the page: coming back reads the list again (a friend may have claimed one) */
  hidden: boolean;
};

const toItem = (gift: MyGift): GiftItem => ({
  ...gift,
  createdText: `${formatDate(gift.createdAt)} 购买`,
  statusLabel: GIFT_STATUS[gift.status].label,
  statusTheme: GIFT_STATUS[gift.status].theme,
});

Page<GiftsData, GiftsMethods>({
  data: {
    status: 'loading',
    errorMessage: '',
    gifts: [],
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
      const result = await listMyGifts({ page });
      const gifts = result.gifts.map(toItem);
      this.setData({
        status: 'ready',
        gifts: page === 1 ? gifts : [...this.data.gifts, ...gifts],
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

  onBrowse() {
    void wx.switchTab({ url: '/pages/home/index' });
  },

  /** The gift's page: the giver shares an unclaimed gift from there, or finds the order of a refunded one. */
  onGiftTap(e) {
    void wx.navigateTo({ url: giftPath(e.currentTarget.dataset.id) });
  },
});
