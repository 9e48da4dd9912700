import { writeReview } from '../../../services/catalog';
import { messageOf } from '../../../services/cloud';

type WriteData = {
  courseId: string;
  rating: number;
  content: string;
  submitting: boolean;
};

type WriteMethods = {
  onRate(e: WechatMiniprogram.CustomEvent<{ value: number }>): void;
  onContent(e: WechatMiniprogram.CustomEvent<{ value: string }>): void;
  onSubmit(): Promise<void>;
};

/** Rates and reviews a course the learner studies; the server checks access, the words and the length. */
Page<WriteData, WriteMethods>({
  data: {
    courseId: '',
    rating: 5,
    content: '',
    submitting: false,
  },

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ courseId: query.courseId ?? '' });
  },

  onRate(e) {
    this.setData({ rating: e.detail.value });
  },

  onContent(e) {
    this.setData({ content: e.detail.value });
  },

  async onSubmit() {
    if (this.data.submitting) return;
    this.setData({ submitting: true });
    try {
      const { held, notice } = await writeReview({ courseId: this.data.courseId, rating: this.data.rating, content: this.data.content });
      // A review staff took down stays hidden: a toast would vanish before the learner reads why.
      if (notice) await wx.showModal({ title: '评价已保存', content: notice, showCancel: false, confirmText: '知道了' });
      else void wx.showToast({ title: held ? '已提交，审核后展示' : '评价已发布', icon: 'none' });
      void wx.navigateBack();
    } catch (e) {
      void wx.showToast({ title: messageOf(e, '提交失败，请稍后重试'), icon: 'none' });
    } finally {
      this.setData({ submitting: false });
    }
  },
});
