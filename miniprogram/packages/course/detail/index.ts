import { enrollCourse } from '../../../services/access';
import { getCourse, type Course } from '../../../services/catalog';
import { messageOf, ServiceError } from '../../../services/cloud';
import { purchase, type PurchaseHolder, type PurchaseItem } from '../../../services/purchase';
import { formatCount, formatDate, formatDateTime, formatDuration, formatPrice } from '../../../utils/format';
import { reloadHooks, showLoadFailure, showLoading } from '../../../utils/loading';

type Viewer = Course['viewer'];

const FORM_LABELS: Record<Course['course']['form'], string> = {
  video: '视频课',
  audio: '音频课',
  article: '图文课',
  live: '直播课',
  camp: '训练营',
};

/** Why this learner pays less than the list price, said next to the price. */
const PRICE_LABELS: Partial<Record<Viewer['quote']['reason'], string>> = {
  member: '会员价',
  upgrade: '已购入门课，升级价',
};

/** What the price area says: the price to pay and why, or why there is none. */
function priceView({ access, quote }: Viewer) {
  if (quote.reason === 'owned') return { priceLabel: '', priceText: access === 'member' ? '会员已解锁' : '已购买', originalPriceText: '' };
  return {
    priceLabel: PRICE_LABELS[quote.reason] ?? '',
    priceText: formatPrice(quote.amount),
    originalPriceText: quote.originalAmount ? formatPrice(quote.originalAmount) : '',
  };
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
  /** free for everyone: studying it adds it to 我的课程 */
  free: boolean;
  firstLessonId: string;
  firstTrialLessonId: string;
  formLabel: string;
  tierLabel: string;
  /** why this learner's price is lower: '会员价', '已购入门课，升级价' */
  priceLabel: string;
  priceText: string;
  originalPriceText: string;
  groupBuyText: string;
  statsText: string;
  refundText: string;
  schedule: { rangeText: string; sessions: Array<{ title: string; timeText: string }> } | null;
  /** the price of the course as a gift: what anyone pays */
  giftPriceText: string;
  /** a course included in membership that the learner cannot study yet: membership would open it */
  memberOffer: boolean;
  /** a purchase is under way: further taps on the buy and gift buttons do nothing */
  purchasing: boolean;
};

type DetailMethods = {
  load(): Promise<void>;
  onRetry(): void;
  onGoHome(): void;
  onStudy(): void;
  onTrial(): void;
  onBuy(): Promise<void>;
  onGift(): Promise<void>;
  onMembership(): void;
  buy(item: PurchaseItem, confirmation: { title: string; content: string }): Promise<void>;
  onAllReviews(): void;
  onWriteReview(): void;
} & PurchaseHolder;

Page<DetailData, DetailMethods>({
  data: {
    status: 'loading',
    errorMessage: '',
    notFound: false,
    courseId: '',
    course: null,
    reviews: [],
    unlocked: false,
    free: false,
    firstLessonId: '',
    firstTrialLessonId: '',
    formLabel: '',
    tierLabel: '',
    priceLabel: '',
    priceText: '',
    originalPriceText: '',
    groupBuyText: '',
    statsText: '',
    refundText: '',
    schedule: null,
    giftPriceText: '',
    memberOffer: false,
    purchasing: false,
  },

  purchaseKey: '',
  purchaseOf: '',

  ...reloadHooks,

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ courseId: query.id ?? '' });
    void this.load();
  },

  /** Back from the pay result page or a lesson: the access may have changed. */
  onShow() {
    if (this.data.status === 'ready') void this.load();
  },

  async load() {
    showLoading(this);
    try {
      const { course, latestReviews, viewer } = await getCourse(this.data.courseId);
      const lessons = course.outline.flatMap((chapter) => chapter.lessons);
      const { refundRule, schedule } = course;
      this.setData({
        status: 'ready',
        course,
        reviews: latestReviews.slice(0, 3).map((review) => ({ ...review, dateText: formatDate(review.createdAt) })),
        unlocked: viewer.access !== null,
        free: viewer.access === 'free',
        firstLessonId: lessons[0]?.id ?? '',
        firstTrialLessonId: lessons.find((lesson) => lesson.trial)?.id ?? '',
        formLabel: FORM_LABELS[course.form],
        tierLabel: course.tier === 'entry' ? '入门' : '进阶',
        ...priceView(viewer),
        giftPriceText: formatPrice(course.price),
        memberOffer: course.includedInMembership && viewer.access === null,
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
      showLoadFailure(this, messageOf(e), { notFound: e instanceof ServiceError && e.code === 'NOT_FOUND' });
    }
  },

  onGoHome() {
    void wx.switchTab({ url: '/pages/home/index' });
  },

  onStudy() {
    // A free course joins 我的课程 when the learner starts it; if that fails they can still study, and it
    // is joined the next time.
    if (this.data.free) enrollCourse(this.data.courseId).catch(() => undefined);
    void wx.navigateTo({ url: `/packages/course/lesson/index?id=${this.data.firstLessonId}` });
  },

  onTrial() {
    void wx.navigateTo({ url: `/packages/course/lesson/index?id=${this.data.firstTrialLessonId}` });
  },

  async onBuy() {
    const { course, priceText, refundText } = this.data;
    if (!course) return;
    await this.buy({ courseId: course.id }, { title: `支付 ${priceText}`, content: `购买《${course.title}》。${refundText}。` });
  },

  /** A gift costs what anyone pays, whatever the giver holds; the giver may own the course. */
  async onGift() {
    const { course, giftPriceText } = this.data;
    if (!course) return;
    await this.buy(
      { courseId: course.id, gift: true },
      { title: `送给好友 ${giftPriceText}`, content: `购买《${course.title}》送给一位好友。支付后分享给好友，好友领取后即可学习。` },
    );
  },

  onMembership() {
    void wx.navigateTo({ url: '/packages/member/plans/index' });
  },

  /** One purchase at a time; a refusal because the learner owns the course meanwhile shows what they hold now. */
  async buy(item, confirmation) {
    if (this.data.purchasing) return;
    this.setData({ purchasing: true });
    try {
      const outcome = await purchase(this, item, confirmation);
      if (outcome.status === 'stopped' && outcome.code === 'ALREADY_OWNED') void this.load();
    } finally {
      this.setData({ purchasing: false });
    }
  },

  onAllReviews() {
    const { course } = this.data;
    if (!course) return;
    void wx.navigateTo({
      url: `/packages/course/reviews/index?courseId=${course.id}&rating=${course.rating ?? ''}&count=${course.ratingCount}`,
    });
  },

  onWriteReview() {
    void wx.navigateTo({ url: `/packages/course/review-write/index?courseId=${this.data.courseId}` });
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
