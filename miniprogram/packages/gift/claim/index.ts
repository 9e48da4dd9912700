import { messageOf, ServiceError } from '../../../services/cloud';
import { claimGift, getGift, giftPath, type GiftDetail } from '../../../services/gifts';
import { formatDate } from '../../../utils/format';
import { showActionFailure } from '../../../utils/loading';
import { GIFT_STATUS } from '../status';

type ClaimData = {
  status: 'loading' | 'ready' | 'error';
  errorMessage: string;
  /** the gift does not exist: retrying cannot help */
  notFound: boolean;
  giftId: string;
  gift: GiftDetail['gift'] | null;
  viewer: GiftDetail['viewer'];
  /** who sent it, as the card says it */
  fromText: string;
  /** the gift's state tag */
  statusLabel: string;
  statusTheme: string;
  /** where the gift is, for this viewer */
  stateText: string;
  /** a claim is under way: further taps do nothing */
  claiming: boolean;
};

type ClaimMethods = {
  load(): Promise<void>;
  show(detail: GiftDetail): void;
  onRetry(): void;
  onGoHome(): void;
  onClaim(): Promise<void>;
  onStudy(): void;
  onOrder(): void;
};

/** What the page says about the gift, by who looks at it and where the gift is. */
function stateText({ gift, viewer }: GiftDetail): string {
  switch (gift.status) {
    case 'refunded':
      if (viewer === 'giver') return `已于 ${formatDate(gift.refundedAt!)} 退款，${gift.claimedAt ? '好友已不能继续学习这门课程' : '好友不能再领取'}`;
      return viewer === 'claimer' ? '送礼人已退款，这门课程已不能继续学习' : '这份礼物已退款，无法领取';
    case 'refunding':
      return viewer === 'giver' ? '退款处理中，好友暂不能领取' : '送礼人正在办理退款，这份礼物暂不能领取';
    case 'claimed':
      if (viewer === 'giver') return `好友已于 ${formatDate(gift.claimedAt!)} 领取`;
      return viewer === 'claimer' ? '你已领取这份礼物，随时可以开始学习' : '这份礼物已被其他好友领取';
    case 'unclaimed':
      return viewer === 'giver' ? '等待好友领取，分享给好友吧' : '领取后即可学习整门课程';
  }
}

Page<ClaimData, ClaimMethods>({
  data: {
    status: 'loading',
    errorMessage: '',
    notFound: false,
    giftId: '',
    gift: null,
    viewer: 'guest',
    fromText: '',
    statusLabel: '',
    statusTheme: 'default',
    stateText: '',
    claiming: false,
  },

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ giftId: query.giftId ?? '' });
    void this.load();
  },

  async load() {
    this.setData({ status: 'loading', errorMessage: '' });
    try {
      this.show(await getGift(this.data.giftId));
    } catch (e) {
      this.setData({ status: 'error', errorMessage: messageOf(e), notFound: e instanceof ServiceError && e.code === 'NOT_FOUND' });
    }
  },

  show(detail) {
    this.setData({
      status: 'ready',
      gift: detail.gift,
      viewer: detail.viewer,
      fromText: detail.viewer === 'giver' ? '你送出的礼物' : `${detail.gift.fromNickname} 送你一门课程`,
      statusLabel: GIFT_STATUS[detail.gift.status].label,
      statusTheme: GIFT_STATUS[detail.gift.status].theme,
      stateText: stateText(detail),
    });
  },

  onRetry() {
    void this.load();
  },

  onGoHome() {
    void wx.switchTab({ url: '/pages/home/index' });
  },

  async onClaim() {
    const { gift, claiming } = this.data;
    if (!gift || claiming) return;
    this.setData({ claiming: true });
    try {
      const { claimedAt } = await claimGift(gift.id);
      this.show({ gift: { ...gift, status: 'claimed', claimedAt }, viewer: 'claimer' });
      void wx.showToast({ title: '领取成功', icon: 'success' });
    } catch (e) {
      // e.g. claimed by someone else meanwhile
      showActionFailure(this, e, '领取失败，请稍后重试');
    } finally {
      this.setData({ claiming: false });
    }
  },

  onStudy() {
    const { gift } = this.data;
    if (gift) void wx.navigateTo({ url: `/packages/course/detail/index?id=${gift.courseId}` });
  },

  /** The giver of a refunding or refunded gift reads its refund on the order that paid for it (same id). */
  onOrder() {
    const { gift } = this.data;
    if (gift) void wx.navigateTo({ url: `/packages/order/detail/index?id=${gift.id}` });
  },

  /** The giver shares the gift itself while a friend can claim it; otherwise the course is shared. */
  onShareAppMessage() {
    const { gift, viewer, giftId } = this.data;
    if (!gift) return { title: '送你一门好课', path: giftPath(giftId) };
    if (viewer === 'giver' && gift.status === 'unclaimed') return { title: `送你一门好课：《${gift.title}》`, path: giftPath(gift.id), ...(gift.cover ? { imageUrl: gift.cover } : {}) };
    return { title: gift.title, path: `/packages/course/detail/index?id=${gift.courseId}`, ...(gift.cover ? { imageUrl: gift.cover } : {}) };
  },
});
