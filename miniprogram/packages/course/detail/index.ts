import { enrollCourse } from '../../../services/access';
import { getCourse, type Course } from '../../../services/catalog';
import { messageOf, ServiceError } from '../../../services/cloud';
import { claimCoupon, getCourseCoupons, type CouponOption, type CourseCoupons } from '../../../services/coupons';
import { myShareCode } from '../../../services/distribution';
import { groupPath, listCourseGroups } from '../../../services/groups';
import { purchase, type PurchaseHolder, type PurchaseItem } from '../../../services/purchase';
import { bindReferralOf } from '../../../services/referral';
import { couponRuleText, couponScopeText } from '../../../utils/coupons';
import { formatCount, formatDate, formatDateTime, formatDuration, formatPrice } from '../../../utils/format';
import { reloadHooks, showLoadFailure, showLoading } from '../../../utils/loading';
import type { PickerRow } from './components/coupon-picker/index';

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

/** A campaign of the 领券 strip. */
type ClaimableRow = { id: string; ruleText: string; title: string; metaText: string };

/** The checkout sheet of a course bought for oneself, when the learner holds coupons for it. */
type Checkout = {
  visible: boolean;
  /** the coupon picked; '' for none */
  selected: string;
  amountText: string;
  /** -¥5, N 张可用 or 无可用优惠券 */
  couponText: string;
  payText: string;
};

const NO_CHECKOUT: Checkout = { visible: false, selected: '', amountText: '', couponText: '', payText: '' };

/** What the checkout shows with `selected` picked among the learner's coupons. */
function checkoutOf({ amount, coupons }: CourseCoupons, selected: string): Checkout {
  const option = coupons.find((c) => c.id === selected && !c.unusable);
  const usable = coupons.filter((c) => !c.unusable).length;
  return {
    visible: true,
    selected: option ? option.id : '',
    amountText: formatPrice(amount),
    couponText: option ? `-${formatPrice(option.discount)}` : usable ? `${usable} 张可用` : '无可用优惠券',
    payText: formatPrice(option ? option.payAmount : amount),
  };
}

/** An open group of the course, as the 正在拼团 list shows it. */
type GroupRow = { id: string; nickname: string; avatarUrl: string; seatsText: string; endText: string };

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
  /** the 发起拼团 button's text ('' when the learner cannot start a group: no group-buy, or not at the list price) */
  startGroupText: string;
  /** 正在拼团: the course's open groups with seats left, read after the course */
  groups: GroupRow[];
  statsText: string;
  refundText: string;
  schedule: { rangeText: string; sessions: Array<{ title: string; timeText: string }> } | null;
  /** the price of the course as a gift: what anyone pays */
  giftPriceText: string;
  /** a course included in membership that the learner cannot study yet: membership would open it */
  memberOffer: boolean;
  /** a purchase is under way: further taps on the buy and gift buttons do nothing */
  purchasing: boolean;
  /** the 领券 strip: campaigns the learner may claim for this course now */
  claimable: ClaimableRow[];
  /** the campaign being claimed ('' when none) */
  claiming: string;
  checkout: Checkout;
  pickerVisible: boolean;
  usableCoupons: PickerRow[];
  unusableCoupons: PickerRow[];
  /** 分享海报 is open */
  posterVisible: boolean;
};

type DetailMethods = {
  load(): Promise<void>;
  onRetry(): void;
  onGoHome(): void;
  onStudy(): void;
  onTrial(): void;
  onBuy(): Promise<void>;
  onGift(): Promise<void>;
  onStartGroup(): Promise<void>;
  onJoinGroup(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { id: string }>): void;
  loadGroups(): Promise<void>;
  onMembership(): void;
  buy(item: PurchaseItem, confirmation: { title: string; content: string } | null): Promise<void>;
  onAllReviews(): void;
  onWriteReview(): void;
  loadCoupons(): Promise<void>;
  onClaim(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { id: string }>): Promise<void>;
  onCheckoutVisible(e: WechatMiniprogram.CustomEvent<{ visible: boolean }>): void;
  onPickCoupon(): void;
  onCouponSelect(e: WechatMiniprogram.CustomEvent<{ couponId: string }>): void;
  onPickerClose(): void;
  onCheckoutConfirm(): Promise<void>;
  /** the learner's coupons for this course, as last read (null: not read, or the read failed) */
  coupons: CourseCoupons | null;
  /** the read of the coupons under way */
  couponsLoading: Promise<void> | null;
  onPoster(): void;
  onPosterClose(): void;
  /** the code the learner's shares carry ('' when they have none); undefined until read */
  shareCode: string | undefined;
} & PurchaseHolder;

/** A coupon as the picker lists it. */
function pickerRow(option: CouponOption, courseTitles: Record<string, string>): PickerRow {
  return {
    id: option.id,
    ruleText: couponRuleText(option.rule),
    title: option.title,
    metaText: `${couponScopeText(option.scope, courseTitles)} · ${formatDate(option.expiresAt)} 到期`,
    discountText: option.unusable ? '' : `-${formatPrice(option.discount)}`,
    reason: option.unusable ?? '',
  };
}

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
    startGroupText: '',
    groups: [],
    statsText: '',
    refundText: '',
    schedule: null,
    giftPriceText: '',
    memberOffer: false,
    purchasing: false,
    claimable: [],
    claiming: '',
    checkout: NO_CHECKOUT,
    pickerVisible: false,
    usableCoupons: [],
    unusableCoupons: [],
    posterVisible: false,
  },

  purchaseKey: '',
  purchaseOf: '',
  coupons: null,
  couponsLoading: null,
  shareCode: undefined,

  ...reloadHooks,

  /**
   * `id`, or for a mini-program code its scene's course; a share's referral (`ref`, or the scene's `r`) binds
   * the learner to its sharer in the background.
   */
  onLoad(query: Record<string, string | undefined>) {
    const referral = bindReferralOf(query);
    this.setData({ courseId: query.id ?? referral.courseId ?? '' });
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
      // A group's price is for those who would pay the list price (not a member's or an upgrade's, not an owner's).
      const groupBuy = course.groupBuy && viewer.quote.reason === 'list' ? course.groupBuy : null;
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
        groupBuyText: groupBuy ? `${groupBuy.size} 人拼团价 ${formatPrice(groupBuy.price)}` : '',
        startGroupText: groupBuy ? `发起拼团 ${formatPrice(groupBuy.price)}` : '',
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
      if (groupBuy) void this.loadGroups();
      else this.setData({ groups: [] });
      // Coupons only matter for a course the learner can still buy; read after the first render.
      if (course.price > 0 && viewer.access === null) void this.loadCoupons();
      else {
        this.coupons = null;
        this.setData({ claimable: [] });
      }
      // The learner's share code, for the share card (read once per launch), after the course.
      myShareCode().then(
        (code) => (this.shareCode = code),
        () => undefined,
      );
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

  /**
   * A learner holding coupons for the course sees the checkout sheet (price, 优惠券 with the best one
   * picked, what to pay) and pays from it; without any, the confirmation modal of every purchase.
   */
  async onBuy() {
    const { course, priceText, refundText, purchasing } = this.data;
    if (!course || purchasing) return;
    if (this.couponsLoading) await this.couponsLoading;
    if (this.coupons && this.coupons.coupons.length) {
      this.setData({ checkout: checkoutOf(this.coupons, this.coupons.best ?? '') });
      return;
    }
    await this.buy({ courseId: course.id }, { title: `支付 ${priceText}`, content: `购买《${course.title}》。${refundText}。` });
  },

  /** The campaigns the learner may claim and the coupons they hold for this course; a failure hides both. */
  loadCoupons() {
    const courseId = this.data.courseId;
    const loading = getCourseCoupons(courseId).then(
      (coupons) => {
        this.coupons = coupons;
        const titles = { [courseId]: this.data.course?.title ?? '' };
        const claimable: ClaimableRow[] = coupons.claimable.map((c) => ({
          id: c.id,
          ruleText: couponRuleText(c.rule),
          title: c.title,
          metaText: [couponScopeText(c.scope, titles), c.validDays ? `领取后 ${c.validDays} 天内有效` : c.validUntil ? `${formatDate(c.validUntil)} 前有效` : '', c.newLearnersOnly ? '新人专享' : '']
            .filter(Boolean)
            .join(' · '),
        }));
        const usable = coupons.coupons.filter((c) => !c.unusable).sort((a, b) => b.discount - a.discount);
        this.setData({
          claimable,
          usableCoupons: usable.map((c) => pickerRow(c, titles)),
          unusableCoupons: coupons.coupons.filter((c) => c.unusable).map((c) => pickerRow(c, titles)),
          ...(this.data.checkout.visible ? { checkout: checkoutOf(coupons, this.data.checkout.selected) } : {}),
        });
      },
      () => {
        this.coupons = null;
        this.setData({ claimable: [], usableCoupons: [], unusableCoupons: [] });
      },
    );
    const tracked: Promise<void> = loading.then(() => {
      if (this.couponsLoading === tracked) this.couponsLoading = null;
    });
    this.couponsLoading = tracked;
    return tracked;
  },

  async onClaim(e) {
    const campaignId = e.currentTarget.dataset.id;
    if (this.data.claiming) return;
    this.setData({ claiming: campaignId });
    try {
      await claimCoupon(campaignId);
      void wx.showToast({ title: '领取成功', icon: 'success' });
      await this.loadCoupons();
    } catch (err) {
      void wx.showToast({ title: messageOf(err, '领取失败，请稍后重试'), icon: 'none' });
      void this.loadCoupons();
    } finally {
      this.setData({ claiming: '' });
    }
  },

  onCheckoutVisible(e) {
    if (!e.detail.visible) this.setData({ 'checkout.visible': false });
  },

  onPickCoupon() {
    this.setData({ pickerVisible: true });
  },

  onCouponSelect(e) {
    if (!this.coupons) return;
    this.setData({ pickerVisible: false, checkout: checkoutOf(this.coupons, e.detail.couponId) });
  },

  onPickerClose() {
    this.setData({ pickerVisible: false });
  },

  /** Right after the tap on 确认支付: the purchase asks for the notice and pays, with the coupon picked. */
  async onCheckoutConfirm() {
    const { course, checkout } = this.data;
    if (!course) return;
    this.setData({ 'checkout.visible': false });
    await this.buy({ courseId: course.id, ...(checkout.selected ? { couponId: checkout.selected } : {}) }, null);
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

  /** Opens a group at the group price: the leader pays now, friends take the other seats from the group's page. */
  async onStartGroup() {
    const { course, startGroupText } = this.data;
    if (!course || !course.groupBuy || !startGroupText) return;
    const { size, price } = course.groupBuy;
    await this.buy(
      { courseId: course.id, startGroup: true },
      {
        title: `发起拼团 ${formatPrice(price)}`,
        content: `以拼团价购买《${course.title}》。支付后邀请好友参团，${size} 人成团后即可学习；未在时限内成团将自动原路退款。`,
      },
    );
  },

  onJoinGroup(e) {
    void wx.navigateTo({ url: groupPath(e.currentTarget.dataset.id) });
  },

  /** 正在拼团: read after the course; a failure only hides the list. */
  async loadGroups() {
    try {
      const groups = await listCourseGroups(this.data.courseId);
      this.setData({
        groups: groups.map((g) => ({
          id: g.id,
          nickname: g.leader.nickname,
          avatarUrl: g.leader.avatarUrl ?? '',
          seatsText: `还差 ${g.seatsLeft} 人`,
          endText: `${formatDateTime(g.expiresAt)} 结束`,
        })),
      });
    } catch {
      this.setData({ groups: [] });
    }
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
      // The server refused (the coupon used or expired meanwhile, say): show what the learner holds now.
      else if (outcome.status === 'stopped' && outcome.code && this.coupons) void this.loadCoupons();
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

  onPoster() {
    if (this.data.course) this.setData({ posterVisible: true });
  },

  onPosterClose() {
    this.setData({ posterVisible: false });
  },

  onShareAppMessage() {
    const { course, courseId } = this.data;
    const card = (code: string) => ({
      title: course ? course.title : '发现一门好课',
      path: `/packages/course/detail/index?id=${courseId}${code ? `&ref=${code}` : ''}`,
      ...(course ? { imageUrl: course.cover } : {}),
    });
    if (this.shareCode !== undefined) return card(this.shareCode);
    // Shared before the code arrived: WeChat waits up to 3 s for the card carrying it, else sends this one.
    return { ...card(''), promise: myShareCode().then(card, () => card('')) };
  },
});
