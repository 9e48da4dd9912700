import { listReviews, type Review } from '../../../services/catalog';
import { askAndReport } from '../../../services/reports';
import { formatDate } from '../../../utils/format';
import { reloadHooks } from '../../../utils/loading';
import { pagedList, type PagedListMethods } from '../../../utils/paging';

type ReviewItem = Review & { initial: string; dateText: string };

type ReviewsData = {
  courseId: string;
  /** "4.6 分 · 5 条评价", as the course page knew it */
  summary: string;
  status: 'loading' | 'ready' | 'error';
  errorMessage: string;
  reviews: ReviewItem[];
  page: number;
  hasMore: boolean;
  loadingMore: boolean;
};

type ReviewsMethods = PagedListMethods & {
  onRetry(): void;
  onReport(e: WechatMiniprogram.BaseEvent): void;
};

const toItem = (review: Review): ReviewItem => ({ ...review, initial: review.nickname.slice(0, 1), dateText: formatDate(review.createdAt) });

Page<ReviewsData, ReviewsMethods>({
  data: {
    courseId: '',
    summary: '',
    status: 'loading',
    errorMessage: '',
    reviews: [],
    page: 0,
    hasMore: false,
    loadingMore: false,
  },

  ...pagedList<ReviewsData>({
    items: 'reviews',
    fetch: async (page, { courseId }) => {
      const { reviews, hasMore } = await listReviews({ courseId, page });
      return { items: reviews.map(toItem), hasMore };
    },
  }),
  ...reloadHooks,

  onLoad(query: Record<string, string | undefined>) {
    const { courseId = '', rating, count } = query;
    this.setData({ courseId, summary: rating && count ? `${rating} 分 · ${count} 条评价` : '' });
    void this.load();
  },

  onReport(e) {
    const { id } = e.currentTarget.dataset as { id: string };
    void askAndReport('review', id);
  },

  onShareAppMessage() {
    return { title: '看看学员们怎么评价这门课', path: `/packages/course/detail/index?id=${this.data.courseId}` };
  },
});
