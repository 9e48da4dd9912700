import { getHome, type CourseCard } from '../../services/catalog';
import { messageOf } from '../../services/cloud';
import { bindReferralOf } from '../../services/referral';
import { reloadHooks, showLoadFailure, showLoading } from '../../utils/loading';
import { CATEGORY_STORAGE_KEY } from '../category/selection';

type HomeData = {
  status: 'loading' | 'ready' | 'error';
  errorMessage: string;
  banners: Array<{ image: string; courseId: string }>;
  categories: Array<{ id: string; name: string; initial: string }>;
  featured: CourseCard[];
  newest: CourseCard[];
};

type HomeMethods = {
  load(): Promise<void>;
  onRetry(): void;
  onSearchTap(): void;
  onBannerTap(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { courseId: string }>): void;
  onCategoryTap(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { id: string }>): void;
};

Page<HomeData, HomeMethods>({
  data: {
    status: 'loading',
    errorMessage: '',
    banners: [],
    categories: [],
    featured: [],
    newest: [],
  },

  ...reloadHooks,

  /** Opened from a share (`ref`) or a mini-program code (`scene`): the learner is bound to its sharer, in the background. */
  onLoad(query: Record<string, string | undefined>) {
    bindReferralOf(query);
    void this.load();
  },

  async load() {
    showLoading(this);
    try {
      const home = await getHome();
      this.setData({
        status: 'ready',
        banners: home.banners,
        categories: home.categories.map((c) => ({ id: c.id, name: c.name, initial: c.name.slice(0, 1) })),
        featured: home.featured,
        newest: home.newest,
      });
    } catch (e) {
      showLoadFailure(this, messageOf(e));
    }
  },

  onSearchTap() {
    void wx.navigateTo({ url: '/packages/course/search/index' });
  },

  onBannerTap(e) {
    void wx.navigateTo({ url: `/packages/course/detail/index?id=${e.currentTarget.dataset.courseId}` });
  },

  onCategoryTap(e) {
    wx.setStorageSync(CATEGORY_STORAGE_KEY, e.currentTarget.dataset.id);
    void wx.switchTab({ url: '/pages/category/index' });
  },

  onShareAppMessage() {
    return { title: '知识学堂：职场技能、考试备考、兴趣爱好好课精选', path: '/pages/home/index' };
  },
});
