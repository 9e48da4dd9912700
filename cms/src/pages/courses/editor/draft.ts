/**
 * The course editor's working copies: the forms edit these, and saving sends them as the contracts take them.
 * Pure functions, so the mapping is tested without a browser.
 */
import type { AdminCourse, AdminLesson, SaveCourseRequest, SaveOutlineRequest } from '@domain/contracts/catalog-admin';

export type CourseDraft = Omit<SaveCourseRequest, 'price' | 'refundRule'> & Required<Pick<SaveCourseRequest, 'price' | 'refundRule'>>;

type LessonInput = SaveOutlineRequest['chapters'][number]['lessons'][number];
/** A lesson being edited; `key` tells lessons apart before they have an id. */
export type LessonDraft = LessonInput & { key: string };
export interface ChapterDraft {
  key: string;
  title: string;
  lessons: LessonDraft[];
}

let keys = 0;
export const newKey = () => `k${++keys}`;

export const emptyCourse = (): CourseDraft => ({
  title: '',
  subtitle: '',
  categoryId: '',
  lecturerId: '',
  form: 'video',
  tier: 'entry',
  price: { amount: 0, includedInMembership: false },
  refundRule: { withinDays: 7, maxProgress: 0.3 },
  featured: false,
});

export function courseDraftOf(course: AdminCourse): CourseDraft {
  return {
    courseId: course.id,
    title: course.title,
    subtitle: course.subtitle,
    cover: course.cover || undefined,
    categoryId: course.categoryId,
    lecturerId: course.lecturer._id,
    form: course.form,
    tier: course.tier,
    price: structuredClone(course.price),
    refundRule: { ...course.refundRule },
    schedule: course.schedule ? structuredClone(course.schedule) : undefined,
    featured: course.featured,
  };
}

/** The outline as the editor shows it: the course's chapters with each lesson's content. */
export function outlineDraftOf(course: AdminCourse, lessons: AdminLesson[]): ChapterDraft[] {
  const byId = new Map(lessons.map((l) => [l.id, l]));
  return course.outline.map((chapter) => ({
    key: newKey(),
    title: chapter.title,
    lessons: chapter.lessons.map((entry) => {
      const l = byId.get(entry.id);
      return {
        key: newKey(),
        id: entry.id,
        title: entry.title,
        type: entry.type,
        trial: entry.trial,
        durationSec: entry.durationSec || undefined,
        media: l?.media,
        articleHtml: l?.articleHtml,
        article: l?.article,
        liveAt: l?.liveAt,
        live: l?.live,
        assignment: l?.assignment,
      };
    }),
  }));
}

/** The request that saves the outline: the editor's keys and empty fields left out. */
export function outlineRequest(courseId: string, chapters: ChapterDraft[]): SaveOutlineRequest {
  return {
    courseId,
    chapters: chapters.map((chapter) => ({
      title: chapter.title,
      lessons: chapter.lessons.map(({ key: _key, ...lesson }) => Object.fromEntries(Object.entries(lesson).filter(([, v]) => v !== undefined && v !== '')) as LessonInput),
    })),
  };
}

/** Moves an item of `list` from `from` to `to` (drag and drop, or the arrows). */
export function move<T>(list: T[], from: number, to: number): void {
  if (to < 0 || to >= list.length || from === to) return;
  const [item] = list.splice(from, 1);
  list.splice(to, 0, item!);
}
