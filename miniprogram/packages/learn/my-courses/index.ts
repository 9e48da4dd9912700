import { listMyCourses, type MyCourse } from '../../../services/catalog';
import { formatDate } from '../../../utils/format';
import { reloadHooks, reloadWhenShownAgain } from '../../../utils/loading';
import { pagedList, type PagedListMethods } from '../../../utils/paging';

type CourseItem = MyCourse & {
  addedText: string;
  /** share of the course played, in whole percent, for the bar */
  percent: number;
  progressText: string;
};

/** How the learner came to hold the course, as the list says it. */
const VIA: Record<MyCourse['via'], string> = { order: '购买', gift: '领取好友赠送', admin: '获赠', free: '加入学习' };

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

type MyCoursesMethods = PagedListMethods & {
  onRetry(): void;
  onCourseTap(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { id: string }>): void;
  onContinue(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { lesson: string }>): void;
  onCheckInTap(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { id: string }>): void;
  onBrowse(): void;
  /** set when the learner left the page: coming back reads the list again (a course may have been bought meanwhile) */
  hidden: boolean;
};

/** How far the learner got, as the list says it. */
function progressText({ progress, lessonCount }: MyCourse): string {
  if (progress.completedLessons > 0) return `已学完 ${progress.completedLessons}/${lessonCount} 节`;
  return progress.lastLesson ? `已学 ${Math.round(progress.watchedShare * 100)}%` : '还没开始学';
}

const toItem = (course: MyCourse): CourseItem => ({
  ...course,
  addedText: `${formatDate(course.addedAt)} ${VIA[course.via]}`,
  percent: Math.round(course.progress.watchedShare * 100),
  progressText: progressText(course),
});

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

  ...pagedList<MyCoursesData>({
    items: 'courses',
    fetch: async (page) => {
      const { courses, membership, hasMore } = await listMyCourses({ page });
      const membershipText = membership
        ? `你是会员${membership.expiresAt ? `（有效期至 ${formatDate(membership.expiresAt)}）` : ''}，标有“会员免费”的课程可直接学习`
        : '';
      // The membership comes with the first page only: later pages leave the line as it is.
      return { items: courses.map(toItem), hasMore, also: page === 1 ? { membershipText } : {} };
    },
  }),
  ...reloadHooks,
  ...reloadWhenShownAgain,

  onLoad() {
    void this.load();
  },

  onCourseTap(e) {
    void wx.navigateTo({ url: `/packages/course/detail/index?id=${e.currentTarget.dataset.id}` });
  },

  /** 继续学习: the lesson studied last, where the learner left off (the lesson page resumes there). */
  onContinue(e) {
    void wx.navigateTo({ url: `/packages/course/lesson/index?id=${e.currentTarget.dataset.lesson}` });
  },

  onCheckInTap(e) {
    void wx.navigateTo({ url: `/packages/learn/checkin/index?courseId=${e.currentTarget.dataset.id}` });
  },

  onBrowse() {
    void wx.switchTab({ url: '/pages/home/index' });
  },
});
