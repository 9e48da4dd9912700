import type { CourseCard } from '../../services/catalog';
import { formatCount, formatPrice } from '../../utils/format';

const FORM_LABELS: Record<CourseCard['form'], string> = {
  video: '视频课',
  audio: '音频课',
  article: '图文课',
  live: '直播课',
  camp: '训练营',
};

/** A course in a list: cover, title, lecturer, price; opens the course page. */
Component({
  properties: {
    course: { type: Object, value: {} },
    /** a smaller cover, for narrow columns */
    compact: { type: Boolean, value: false },
  },
  data: {
    formLabel: '',
    priceText: '',
    originalPriceText: '',
    learnersText: '',
  },
  observers: {
    course(course: CourseCard) {
      if (!course.id) return;
      this.setData({
        formLabel: FORM_LABELS[course.form],
        priceText: formatPrice(course.price),
        originalPriceText: course.originalPrice ? formatPrice(course.originalPrice) : '',
        learnersText: `${formatCount(course.sales)}人已学`,
      });
    },
  },
  methods: {
    onTap() {
      void wx.navigateTo({ url: `/packages/course/detail/index?id=${(this.data.course as CourseCard).id}` });
    },
  },
});
