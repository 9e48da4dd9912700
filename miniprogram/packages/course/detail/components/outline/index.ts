import type { Course } from '../../../../../services/catalog';
import { formatDuration } from '../../../../../utils/format';

type Chapter = Course['course']['outline'][number];
type LessonType = Chapter['lessons'][number]['type'];

const TYPE_ICONS: Record<LessonType, string> = {
  video: 'play-circle',
  audio: 'sound',
  article: 'file-1',
  live: 'video-camera',
};

/** The chapters of a course (the first one open) and their lessons; a lesson opens the lesson page. */
Component({
  properties: {
    outline: { type: Array, value: [] },
    /** the learner may study every lesson (free, bought, member); otherwise only trial ones */
    unlocked: { type: Boolean, value: false },
  },
  data: {
    chapters: [] as Array<{
      title: string;
      countText: string;
      lessons: Array<{ id: string; title: string; icon: string; durationText: string; trial: boolean; locked: boolean; opensText: string }>;
    }>,
    expanded: [0],
  },
  observers: {
    'outline, unlocked'(outline: Chapter[], unlocked: boolean) {
      this.setData({
        chapters: outline.map((chapter) => ({
          title: chapter.title,
          countText: `${chapter.lessons.length} 节`,
          lessons: chapter.lessons.map((lesson) => ({
            id: lesson.id,
            title: lesson.title,
            icon: TYPE_ICONS[lesson.type],
            durationText: formatDuration(lesson.durationSec),
            trial: lesson.trial && !unlocked,
            locked: !lesson.trial && !unlocked,
            // A camp lesson waiting for its day (getCourse marks it): "12月2日开放", in the learner's time zone.
            opensText: lesson.opensAt ? `${new Date(lesson.opensAt).getMonth() + 1}月${new Date(lesson.opensAt).getDate()}日开放` : '',
          })),
        })),
      });
    },
  },
  methods: {
    onExpand(e: WechatMiniprogram.CustomEvent<{ value: number[] }>) {
      this.setData({ expanded: e.detail.value });
    },
    onLessonTap(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { id: string }>) {
      void wx.navigateTo({ url: `/packages/course/lesson/index?id=${e.currentTarget.dataset.id}` });
    },
  },
});
