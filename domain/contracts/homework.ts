import type { Accepts } from '../catalog/model';
import type { HomeworkStatus } from '../learning/model';
import { id } from './ids';
import { paging } from './paging';
import * as z from './schema';

/** A cloud storage file the learner uploaded (`cloud://<env>.<bucket>/<path>`). */
export const fileId = z.string().check(z.maxLength(512), z.regex(/^cloud:\/\/[^/\s]+\/\S+$/, '文件编号格式不正确'));

/** At most this many pictures with one homework or check-in. */
export const MAX_IMAGES = 9;

/**
 * `submitHomework`: the learner hands in (or, until it is graded, hands in again) the assignment of a lesson
 * (`assignmentId` is the lesson's id: a lesson carries at most one). Pictures and audio are files the learner
 * uploaded under `homework/<their openid>/`.
 */
export const submitHomeworkRequest = z
  .strictObject({
    assignmentId: id,
    text: z.optional(z.string().check(z.trim(), z.maxLength(2_000, '作业文字最多 2000 字'))),
    imageFileIds: z.optional(z.array(fileId).check(z.maxLength(MAX_IMAGES, `最多上传 ${MAX_IMAGES} 张图片`))),
    audioFileId: z.optional(fileId),
  })
  .check(z.refine((r) => !!r.text || !!r.imageFileIds?.length || !!r.audioFileId, '请填写作业内容或上传图片、音频'));
export type SubmitHomeworkRequest = z.input<typeof submitHomeworkRequest>;

/** A homework as its learner (or a teacher) sees it. */
export interface HomeworkView {
  id: string;
  assignmentId: string;
  courseId: string;
  lessonTitle: string;
  text?: string;
  /** short-lived URLs of the pictures and the audio, for showing them */
  images: Array<{ fileId: string; url: string }>;
  audio?: { fileId: string; url: string };
  status: HomeworkStatus;
  /** why it was returned: the learner changes it and hands it in again */
  rejection?: string;
  submittedAt: Date;
  review?: { score: number; feedback: string; reviewedAt: Date };
  /** a teacher showed it to the course's learners as an example */
  featured: boolean;
}

export interface AssignmentView {
  id: string;
  courseId: string;
  lessonTitle: string;
  prompt: string;
  dueAt?: Date;
  accepts: Accepts;
  /** past the due date: nothing more is handed in */
  closed: boolean;
}

/** `getHomework`: the assignment, the learner's own homework and the examples teachers picked. */
export const getHomeworkRequest = z.strictObject({ assignmentId: id });
export type GetHomeworkRequest = z.input<typeof getHomeworkRequest>;
export interface GetHomeworkResponse {
  assignment: AssignmentView;
  mine?: HomeworkView;
  featured: Array<{ id: string; nickname: string; text?: string; images: Array<{ fileId: string; url: string }>; score?: number }>;
}

export interface SubmitHomeworkResponse {
  homework: HomeworkView;
}

/** `listMyHomework`: 我的 > 作业, newest first. */
export const listMyHomeworkRequest = z.strictObject({ ...paging });
export type ListMyHomeworkRequest = z.input<typeof listMyHomeworkRequest>;
export interface ListMyHomeworkResponse {
  homework: Array<Pick<HomeworkView, 'id' | 'assignmentId' | 'courseId' | 'lessonTitle' | 'status' | 'submittedAt' | 'review'>>;
  page: number;
  hasMore: boolean;
}

/** `listHomework` (staff): homework waiting for a grade (or graded), oldest first, optionally of one course. */
export const listHomeworkRequest = z.strictObject({
  status: z._default(z.enum(['submitted', 'reviewed']), 'submitted'),
  courseId: z.optional(id),
  ...paging,
});
export type ListHomeworkRequest = z.input<typeof listHomeworkRequest>;
export interface ListHomeworkResponse {
  homework: Array<HomeworkView & { nickname: string }>;
  page: number;
  hasMore: boolean;
}

/** `reviewHomework` (staff, a teacher): grades a homework handed in; the learner is told. */
export const reviewHomeworkRequest = z.strictObject({
  homeworkId: z.string().check(z.minLength(1), z.maxLength(160)),
  score: z.int().check(z.gte(0, '分数在 0 到 100 之间'), z.lte(100, '分数在 0 到 100 之间')),
  feedback: z.string().check(z.trim(), z.minLength(1, '请写评语'), z.maxLength(500, '评语最多 500 字')),
  /** show it to the course's learners as an example */
  feature: z._default(z.boolean(), false),
});
export type ReviewHomeworkRequest = z.input<typeof reviewHomeworkRequest>;
export interface ReviewHomeworkResponse {
  homework: HomeworkView;
  /** whether the learner accepted the `homework-reviewed` message (they see the feedback on the homework page either way) */
  notified: boolean;
}
