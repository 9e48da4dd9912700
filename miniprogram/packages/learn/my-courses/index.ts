import { nextPage, showListFailure } from '../../../utils/paging';
import { listMyCourses, type MyCourse } from '../../../services/catalog';
import { messageOf } from '../../../services/cloud';
import { formatDate } from '../../../utils/format';

type CourseItem = MyCourse & { purchasedText: string };

type MyCoursesData = {
  status: 'loading' | 'ready' | 'error';
  errorMessage: string;
  courses: CourseItem[];
  /** the membership line, when the learner holds one */
  membershipText: string;
  page: number;
  hasMore: boolean;
  loadingMore: boolean;
};

type MyCoursesMethods = {
  loadPage(page: number): Promise<void>;
  onRetry(): void;
  onCourseTap(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { id: string }>): void;
  onBrowse(): void;
  /** set when the learner left the page: coming back reads the list again (a course may have been bought meanwhile) */
  hidden: boolean;
};

const toItem = (course: MyCourse): CourseItem => ({ ...course, purchasedText: `${formatDate(course.purchasedAt)} 购买` });

Page<MyCoursesData, MyCoursesMethods>({
  data: {
    status: 'loading',
    errorMessage: '',
    courses: [],
    membershipText: '',
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
      const result = await listMyCourses({ page });
      const courses = result.courses.map(toItem);
      this.setData({
        status: 'ready',
        courses: page === 1 ? courses : [...this.data.courses, ...courses],
        ...(page === 1
          ? {
              membershipText: result.membership
                ? `你是会员${result.membership.expiresAt ? `（有效期至 ${formatDate(result.membership.expiresAt)}）` : ''}，标有“会员免费”的课程可直接学习`
                : '',
            }
          : {}),
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

  onCourseTap(e) {
    void wx.navigateTo({ url: `/packages/course/detail/index?id=${e.currentTarget.dataset.id}` });
  },

  onBrowse() {
    void wx.switchTab({ url: '/pages/home/index' });
  },
});
