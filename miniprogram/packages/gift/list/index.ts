import { giftPath, listMyGifts, type MyGift } from '../../../services/gifts';
import { formatDate } from '../../../utils/format';
import { reloadHooks, reloadWhenShownAgain } from '../../../utils/loading';
import { pagedList, type PagedListMethods } from '../../../utils/paging';
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

type GiftsMethods = PagedListMethods & {
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

  ...pagedList<GiftsData>({
    items: 'gifts',
    fetch: async (page) => {
      const { gifts, hasMore } = await listMyGifts({ page });
      return { items: gifts.map(toItem), hasMore };
    },
  }),
  ...reloadHooks,
  ...reloadWhenShownAgain,

  onLoad() {
    void this.load();
  },

  onBrowse() {
    void wx.switchTab({ url: '/pages/home/index' });
  },

  /** The gift's page: the giver shares an unclaimed gift from there, or finds the order of a refunded one. */
  onGiftTap(e) {
    void wx.navigateTo({ url: giftPath(e.currentTarget.dataset.id) });
  },
});
