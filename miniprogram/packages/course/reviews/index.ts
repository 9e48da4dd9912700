import { nextPage, showListFailure } from '../../../utils/paging';
import { listReviews, type Review } from '../../../services/catalog';
import { messageOf } from '../../../services/cloud';
import { formatDate } from '../../../utils/format';

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

type ReviewsMethods = {
  loadPage(page: number): Promise<void>;
  onRetry(): void;
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

  onLoad(query: Record<string, string | undefined>) {
    const { courseId = '', rating, count } = query;
    this.setData({ courseId, summary: rating && count ? `${rating} 分 · ${count} 条评价` : '' });
    void this.loadPage(1);
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
      const result = await listReviews({ courseId: this.data.courseId, page });
      const reviews = result.reviews.map(toItem);
      this.setData({
        status: 'ready',
        reviews: page === 1 ? reviews : [...this.data.reviews, ...reviews],
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

  onShareAppMessage() {
    return { title: '看看学员们怎么评价这门课', path: `/packages/course/detail/index?id=${this.data.courseId}` };
  },
});
