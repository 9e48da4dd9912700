/** How the console names the product's codes to a creator. */
import type { Audience, CourseForm, CourseStatus, CourseTier, LessonType } from '@domain/catalog/model';
import type { Role } from '@domain/staff/roles';

export const ROLE_NAMES: Record<Role, string> = { owner: '店主', editor: '编辑', teacher: '老师', support: '客服' };

/** Fen as yuan, e.g. 19900 → ¥199.00. */
export const yuan = (fen: number | undefined) => (fen === undefined ? '—' : `¥${(fen / 100).toFixed(2)}`);

/** A date (as JSON carries it) in the creator's time, e.g. 2026-12-06 19:30. */
export function when(value: Date | string | undefined): string {
  if (!value) return '—';
  const d = new Date(value);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export const COURSE_STATUS_TEXT: Record<CourseStatus, string> = { draft: '草稿', published: '已上架', offline: '已下架' };
export const FORM_TEXT: Record<CourseForm, string> = { video: '视频课', audio: '音频课', article: '图文课', live: '直播课', camp: '训练营' };
export const TIER_TEXT: Record<CourseTier, string> = { entry: '入门课', advanced: '进阶课' };
export const LESSON_TYPE_TEXT: Record<LessonType, string> = { video: '视频', audio: '音频', article: '图文', live: '直播' };
export const AUDIENCE_TEXT: Record<Audience, string> = { office: '职场人', exam: '考试党', hobby: '兴趣爱好' };

/** A length in seconds as a player shows it, e.g. 754 → 12:34, 3725 → 1:02:05. */
export function clock(seconds: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}
