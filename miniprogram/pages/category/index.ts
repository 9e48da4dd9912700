import { getHome, listCourses, type CourseCard, type CourseSort } from '../../services/catalog';
import { messageOf } from '../../services/cloud';
import { reloadHooks, showLoading } from '../../utils/loading';
import { pagedList } from '../../utils/paging';
import { CATEGORY_STORAGE_KEY } from './selection';

/** The side bar's first entry: every course. */
const ALL = 'all';

type CategoryData = {
  status: 'loading' | 'ready' | 'error';
  errorMessage: string;
  categories: Array<{ id: string; name: string }>;
  selected: string;
  sort: CourseSort;
  courses: CourseCard[];
  page: number;
  hasMore: boolean;
  loadingMore: boolean;
};

type CategoryMethods = {
  load(): Promise<void>;
  loadPage(page: number): Promise<void>;
  reset(changes: Partial<Pick<CategoryData, 'selected' | 'sort'>>): void;
  onCategoryChange(e: WechatMiniprogram.CustomEvent<{ value: string }>): void;
  onSortTap(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { sort: 'popular' | 'new' | 'price' }>): void;
  onRetry(): void;
};

// The page's own load reads the categories before the first page: it takes the list without `load`.
const { loadPage, onReachBottom } = pagedList<CategoryData>({
  items: 'courses',
  fetch: async (page, { selected, sort }) => {
    const { courses, hasMore } = await listCourses({ ...(selected === ALL ? {} : { categoryId: selected }), sort, page });
    return { items: courses, hasMore };
  },
  // The learner may pick another category or order meanwhile.
  query: ({ selected, sort }) => [selected, sort],
});

Page<CategoryData, CategoryMethods>({
  data: {
    status: 'loading',
    errorMessage: '',
    categories: [],
    selected: ALL,
    sort: 'popular',
    courses: [],
    page: 0,
    hasMore: false,
    loadingMore: false,
  },

  onLoad() {
    this.setData({ selected: wx.getStorageSync<string>(CATEGORY_STORAGE_KEY) || ALL });
    void this.load();
  },

  onShow() {
    // Home's category shortcuts switch to this tab after choosing the category.
    const chosen = wx.getStorageSync<string>(CATEGORY_STORAGE_KEY) || ALL;
    if (this.data.categories.length && chosen !== this.data.selected) this.reset({ selected: chosen });
  },

  ...reloadHooks,
  loadPage,
  onReachBottom,

  async load() {
    showLoading(this);
    if (!this.data.categories.length) {
      try {
        const { categories } = await getHome();
        this.setData({ categories: [{ id: ALL, name: '全部' }, ...categories.map(({ id, name }) => ({ id, name }))] });
      } catch (e) {
        this.setData({ status: 'error', errorMessage: messageOf(e) });
        return;
      }
    }
    await this.loadPage(1);
  },

  reset(changes) {
    this.setData({ ...changes, status: 'loading', courses: [], page: 0, hasMore: false, loadingMore: false });
    void wx.pageScrollTo({ scrollTop: 0, duration: 0 });
    void this.loadPage(1);
  },

  onCategoryChange(e) {
    wx.setStorageSync(CATEGORY_STORAGE_KEY, e.detail.value);
    this.reset({ selected: e.detail.value });
  },

  onSortTap(e) {
    const tapped = e.currentTarget.dataset.sort;
    const sort: CourseSort = tapped !== 'price' ? tapped : this.data.sort === 'price_asc' ? 'price_desc' : 'price_asc';
    if (sort !== this.data.sort) this.reset({ sort });
  },

  onShareAppMessage() {
    return { title: '知识学堂：按分类找好课', path: '/pages/category/index' };
  },
});
