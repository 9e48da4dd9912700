import { listCourses, type CourseCard } from '../../../services/catalog';
import { pagedList } from '../../../utils/paging';

const RECENT_STORAGE_KEY = 'search:recent';
const MAX_RECENT = 10;

type SearchData = {
  input: string;
  /** the keyword whose results are shown; empty before the first search */
  keyword: string;
  recent: string[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  errorMessage: string;
  courses: CourseCard[];
  page: number;
  hasMore: boolean;
  loadingMore: boolean;
};

type SearchMethods = {
  search(keyword: string): void;
  loadPage(page: number): Promise<void>;
  remember(keyword: string): void;
  onInput(e: WechatMiniprogram.CustomEvent<{ value: string }>): void;
  onSubmit(e: WechatMiniprogram.CustomEvent<{ value: string }>): void;
  onClear(): void;
  onRecentTap(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { keyword: string }>): void;
  onClearRecent(): void;
  onRetry(): void;
};

// No pull-down refresh here, and a retry searches again (see onRetry): the page takes only the list itself.
const { loadPage, onReachBottom } = pagedList<SearchData>({
  items: 'courses',
  fetch: async (page, { keyword }) => {
    const { courses, hasMore } = await listCourses({ keyword, page });
    return { items: courses, hasMore };
  },
  // A newer search may have started while this one was on its way.
  query: ({ keyword }) => [keyword],
  fallbackMessage: '搜索失败，请稍后重试',
});

Page<SearchData, SearchMethods>({
  data: {
    input: '',
    keyword: '',
    recent: [],
    status: 'idle',
    errorMessage: '',
    courses: [],
    page: 0,
    hasMore: false,
    loadingMore: false,
  },

  onLoad(query: Record<string, string | undefined>) {
    const recent = wx.getStorageSync<string[] | ''>(RECENT_STORAGE_KEY);
    this.setData({ recent: Array.isArray(recent) ? recent : [] });
    if (query.keyword) this.search(query.keyword);
  },

  loadPage,
  onReachBottom,

  search(raw) {
    const keyword = raw.trim();
    if (!keyword) return;
    this.remember(keyword);
    this.setData({ input: keyword, keyword, status: 'loading', courses: [], page: 0, hasMore: false });
    void this.loadPage(1);
  },

  remember(keyword) {
    const recent = [keyword, ...this.data.recent.filter((k) => k !== keyword)].slice(0, MAX_RECENT);
    this.setData({ recent });
    wx.setStorageSync(RECENT_STORAGE_KEY, recent);
  },

  onInput(e) {
    this.setData({ input: e.detail.value });
    if (!e.detail.value) this.onClear();
  },

  onSubmit(e) {
    this.search(e.detail.value);
  },

  onClear() {
    this.setData({ input: '', keyword: '', status: 'idle', courses: [] });
  },

  onRecentTap(e) {
    this.search(e.currentTarget.dataset.keyword);
  },

  onClearRecent() {
    this.setData({ recent: [] });
    wx.removeStorageSync(RECENT_STORAGE_KEY);
  },

  onRetry() {
    this.search(this.data.keyword);
  },

  onShareAppMessage() {
    const { keyword } = this.data;
    return {
      title: keyword ? `「${keyword}」相关好课` : '搜索好课',
      path: `/packages/course/search/index${keyword ? `?keyword=${encodeURIComponent(keyword)}` : ''}`,
    };
  },
});
