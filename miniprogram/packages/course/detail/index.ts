import { getCourse, type Course } from '../../../services/catalog';
import { messageOf, ServiceError } from '../../../services/cloud';
import { cancelOrder, createOrder, newRequestKey } from '../../../services/orders';
import { formatCount, formatDate, formatDateTime, formatDuration, formatPrice } from '../../../utils/format';

type Viewer = Course['viewer'];

const FORM_LABELS: Record<Course['course']['form'], string> = {
  video: '视频课',
  audio: '音频课',
  article: '图文课',
  live: '直播课',
  camp: '训练营',
};

/** What the price area says: the price to pay, or why there is none. */
function priceView({ access, quote }: Viewer) {
  if (quote.reason === 'owned') return { priceText: access === 'member' ? '会员已解锁' : '已购买', originalPriceText: '' };
  return { priceText: formatPrice(quote.amount), originalPriceText: quote.originalAmount ? formatPrice(quote.originalAmount) : '' };
}

type DetailData = {
  status: 'loading' | 'ready' | 'error';
  errorMessage: string;
  /** the course does not exist or was taken offline: retrying cannot help */
  notFound: boolean;
  courseId: string;
  course: Course['course'] | null;
  reviews: Array<Course['latestReviews'][number] & { dateText: string }>;
  unlocked: boolean;
  firstLessonId: string;
  firstTrialLessonId: string;
  formLabel: string;
  tierLabel: string;
  priceText: string;
  originalPriceText: string;
  groupBuyText: string;
  statsText: string;
  refundText: string;
  schedule: { rangeText: string; sessions: Array<{ title: string; timeText: string }> } | null;
  /** a purchase is under way: further taps on the buy button do nothing */
  purchasing: boolean;
};

type DetailMethods = {
  load(): Promise<void>;
  onRetry(): void;
  onGoHome(): void;
  onStudy(): void;
  onTrial(): void;
  onBuy(): Promise<void>;
  purchase(course: Course['course']): Promise<void>;
  onAllReviews(): void;
  /**
   * The `clientRequestKey` of the purchase under way: kept until it succeeds or the learner cancels, so
   * that a retry after a failure reaches the same order instead of opening another.
   */
  purchaseKey: string;
};

/** `wx.requestPayment` fails with `requestPayment:fail cancel` when the learner closes the payment sheet. */
const isCancel = (failure: unknown) => /:fail cancel/.test(String((failure as { errMsg?: unknown } | null)?.errMsg ?? ''));

const toast = (title: string) => void wx.showToast({ title, icon: 'none' });

Page<DetailData, DetailMethods>({
  data: {
    status: 'loading',
    errorMessage: '',
    notFound: false,
    courseId: '',
    course: null,
    reviews: [],
    unlocked: false,
    firstLessonId: '',
    firstTrialLessonId: '',
    formLabel: '',
    tierLabel: '',
    priceText: '',
    originalPriceText: '',
    groupBuyText: '',
    statsText: '',
    refundText: '',
    schedule: null,
    purchasing: false,
  },

  purchaseKey: '',

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ courseId: query.id ?? '' });
    void this.load();
  },

  /** Back from the pay result page or a lesson: the access may have changed. */
  onShow() {
    if (this.data.status === 'ready') void this.load();
  },

  async onPullDownRefresh() {
    await this.load();
    wx.stopPullDownRefresh();
  },

  async load() {
    if (this.data.status !== 'ready') this.setData({ status: 'loading', errorMessage: '' });
    try {
      const { course, latestReviews, viewer } = await getCourse(this.data.courseId);
      const lessons = course.outline.flatMap((chapter) => chapter.lessons);
      const { refundRule, schedule } = course;
      this.setData({
        status: 'ready',
        course,
        reviews: latestReviews.slice(0, 3).map((review) => ({ ...review, dateText: formatDate(review.createdAt) })),
        unlocked: viewer.access !== null,
        firstLessonId: lessons[0]?.id ?? '',
        firstTrialLessonId: lessons.find((lesson) => lesson.trial)?.id ?? '',
        formLabel: FORM_LABELS[course.form],
        tierLabel: course.tier === 'entry' ? '入门' : '进阶',
        ...priceView(viewer),
        groupBuyText: course.groupBuy && viewer.quote.reason === 'list' ? `${course.groupBuy.size} 人拼团价 ${formatPrice(course.groupBuy.price)}` : '',
        statsText: `${course.lessonCount} 节 · ${formatDuration(course.durationSec)} · ${formatCount(course.sales)}人已学`,
        refundText: `购买后 ${refundRule.withinDays} 天内且学习进度不超过 ${Math.round(refundRule.maxProgress * 100)}% 可申请退款`,
        schedule: schedule
          ? {
              rangeText: `${formatDateTime(schedule.startAt)} 开始，${formatDate(schedule.endAt)} 结束`,
              sessions: schedule.sessions.map((s) => ({ title: s.title, timeText: `${formatDateTime(s.startAt)} · ${s.durationMin} 分钟` })),
            }
          : null,
      });
      void wx.setNavigationBarTitle({ title: course.title });
    } catch (e) {
      const message = messageOf(e);
      if (this.data.status === 'ready') void wx.showToast({ title: message, icon: 'none' });
      else this.setData({ status: 'error', errorMessage: message, notFound: e instanceof ServiceError && e.code === 'NOT_FOUND' });
    }
  },

  onRetry() {
    void this.load();
  },

  onGoHome() {
    void wx.switchTab({ url: '/pages/home/index' });
  },

  onStudy() {
    void wx.navigateTo({ url: `/packages/course/lesson/index?id=${this.data.firstLessonId}` });
  },

  onTrial() {
    void wx.navigateTo({ url: `/packages/course/lesson/index?id=${this.data.firstTrialLessonId}` });
  },

  async onBuy() {
    const { course, purchasing } = this.data;
    if (!course || purchasing) return;
    this.setData({ purchasing: true });
    try {
      await this.purchase(course);
    } finally {
      this.setData({ purchasing: false });
    }
  },

  /** Confirm, order, pay; the server prices the order, the client only names the course. */
  async purchase(course) {
    const { confirm } = await wx.showModal({
      title: `支付 ${this.data.priceText}`,
      content: `购买《${course.title}》。${this.data.refundText}。`,
      confirmText: '确认支付',
      cancelText: '再想想',
    });
    if (!confirm) return;

    if (!this.purchaseKey) this.purchaseKey = newRequestKey();
    let created;
    try {
      created = await createOrder({ courseId: course.id, clientRequestKey: this.purchaseKey });
    } catch (e) {
      toast(messageOf(e, '下单失败，请稍后重试'));
      if (e instanceof ServiceError && e.code === 'ALREADY_OWNED') void this.load();
      return;
    }

    const { order, payment } = created;
    if (payment) {
      try {
        await wx.requestPayment({ ...payment.params, signType: payment.params.signType as WechatMiniprogram.RequestPaymentOption['signType'] });
      } catch (failure) {
        if (!isCancel(failure)) {
          // The same key reaches the same order on the next tap.
          toast('支付未完成，请稍后重试');
          return;
        }
        this.purchaseKey = '';
        toast('已取消支付');
        // Close the abandoned order (the next tap opens a new one). If this fails the order simply stays
        // unpaid: nothing to tell the learner.
        cancelOrder(order.id).catch(() => undefined);
        return;
      }
    } else if (order.status !== 'paid') {
      // The order of this key was closed meanwhile: the next tap opens a new one.
      this.purchaseKey = '';
      toast('订单已关闭，请重新购买');
      return;
    }
    this.purchaseKey = '';
    void wx.navigateTo({ url: `/packages/order/result/index?courseId=${course.id}` });
  },

  onAllReviews() {
    const { course } = this.data;
    if (!course) return;
    void wx.navigateTo({
      url: `/packages/course/reviews/index?courseId=${course.id}&rating=${course.rating ?? ''}&count=${course.ratingCount}`,
    });
  },

  onShareAppMessage() {
    const { course, courseId } = this.data;
    return {
      title: course ? course.title : '发现一门好课',
      path: `/packages/course/detail/index?id=${courseId}`,
      ...(course ? { imageUrl: course.cover } : {}),
    };
  },
});
