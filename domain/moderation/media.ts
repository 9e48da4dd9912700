/**
 * Pictures and recordings learners upload (homework, check-ins) go through WeChat's asynchronous media check
 * before anyone else sees them: `mediaCheckAsync` answers a trace id at once and pushes its verdict later
 * (`wxa_media_check`, routed to mediaCheckNotify). A `media_checks` document per trace id says which file of
 * which item the verdict is for; the item keeps each file's state and derives from them whether it shows.
 */
import type { Database, Transaction } from '../../server/database';
import { verdictOf, type ContentSecurity, type MediaKind, type TextScene, type Verdict } from '../../server/security';
import { pathOf, type Storage } from '../../server/storage';
import { DomainError } from '../errors';

export const MEDIA_CHECKS = 'media_checks';

/** What learners upload goes under their own folder (cloud.config.json storage rules). */
export const uploadFolderOf = (openid: string) => `homework/${openid}/`;

/** WeChat checks media files of at most 10 MB (mediaCheckAsync). */
export const MAX_MEDIA_BYTES = 10 * 1024 * 1024;

/** How long WeChat may take to fetch a file it checks. */
const CHECK_URL_SECONDS = 3_600;

/** A file of an item and where its check stands. */
export interface CheckedMedia {
  fileId: string;
  kind: MediaKind;
  check: 'pending' | Verdict;
}

/** The items whose media are checked, and the kind of document each is (an avatar's id is its learner's). */
export type MediaTargetKind = 'homework' | 'checkin' | 'avatar';

/** One check under way: the trace id is the `_id`. */
export interface MediaCheck {
  _id: string;
  target: { kind: MediaTargetKind; id: string; submission: string };
  fileId: string;
  createdAt: Date;
}

/**
 * The files a learner names, checked: theirs (under their folder), existing, small enough; answered with the
 * URL WeChat fetches to check each.
 */
export async function ownUploads(files: Storage, openid: string, uploads: Array<{ fileId: string; kind: MediaKind }>): Promise<Array<{ fileId: string; kind: MediaKind; url: string }>> {
  const folder = uploadFolderOf(openid);
  if (uploads.some(({ fileId }) => !pathOf(fileId).startsWith(folder))) throw new DomainError('FORBIDDEN', '只能提交自己上传的文件');
  const found = await files.inspect(
    uploads.map((u) => u.fileId),
    CHECK_URL_SECONDS,
  );
  return uploads.map(({ fileId, kind }) => {
    const file = found.get(fileId);
    if (!file) throw new DomainError('INVALID_INPUT', '文件不存在或已删除，请重新上传');
    if (file.size > MAX_MEDIA_BYTES) throw new DomainError('INVALID_INPUT', kind === 'image' ? '图片不能超过 10MB' : '音频不能超过 10MB');
    return { fileId, kind, url: file.url };
  });
}

/** Asks WeChat to check each file; answers the files as the item stores them and the checks to record with it. */
export async function startMediaChecks(
  security: ContentSecurity,
  openid: string,
  target: MediaCheck['target'],
  uploads: Array<{ fileId: string; kind: MediaKind; url: string }>,
  scene: TextScene,
  now: Date,
): Promise<{ media: CheckedMedia[]; checks: MediaCheck[] }> {
  const traceIds = await Promise.all(uploads.map((u) => security.checkMedia(openid, u.url, u.kind, scene)));
  return {
    media: uploads.map(({ fileId, kind }) => ({ fileId, kind, check: 'pending' })),
    checks: uploads.map(({ fileId }, i) => ({ _id: traceIds[i]!, target, fileId, createdAt: now })),
  };
}

/** Records the checks in the transaction that stores their item, so a verdict always finds what it is about. */
export async function recordMediaChecks(tx: Transaction, checks: MediaCheck[]): Promise<void> {
  for (const { _id, ...check } of checks) await tx.collection<Omit<MediaCheck, '_id'>>(MEDIA_CHECKS).doc(_id).set({ data: check });
}

/**
 * Where an item stands from its text's verdict and its files' checks: refused when a file is risky, waiting
 * while one is unchecked, held for a person when anything is doubtful, shown otherwise.
 */
export function moderationOf(textVerdict: Verdict, media: CheckedMedia[]): 'refused' | 'checking' | 'held' | 'passed' {
  if (media.some((m) => m.check === 'risky')) return 'refused';
  if (media.some((m) => m.check === 'pending')) return 'checking';
  if (textVerdict !== 'pass' || media.some((m) => m.check === 'review')) return 'held';
  return 'passed';
}

/** A file's new state in an item's list: the verdict for `fileId`, when the item still waits for it. */
export function withVerdict(media: CheckedMedia[], fileId: string, verdict: Verdict): CheckedMedia[] | null {
  if (!media.some((m) => m.fileId === fileId && m.check === 'pending')) return null;
  return media.map((m) => (m.fileId === fileId && m.check === 'pending' ? { ...m, check: verdict } : m));
}

/** Applies a verdict to its item, in a transaction: answers what happened, for the log. */
export type MediaVerdictTarget = (db: Database, check: MediaCheck, verdict: Verdict, now: Date) => Promise<string>;

/**
 * A `wxa_media_check` push: the verdict goes to the item its trace id names (through `targets`, one per kind
 * of item). A trace id not recorded (yet) fails, so WeChat delivers it again; a verdict for a file the item no
 * longer waits for (handed in again since) changes nothing.
 */
export async function applyMediaCheck(db: Database, event: Record<string, unknown>, targets: Record<MediaTargetKind, MediaVerdictTarget>, now: Date): Promise<string> {
  const traceId = typeof event.trace_id === 'string' ? event.trace_id : '';
  if (!traceId) return 'ignored: no trace_id';
  const { data } = await db.collection<MediaCheck>(MEDIA_CHECKS).where({ _id: traceId }).get();
  const check = data[0];
  if (!check) throw new Error(`media check ${traceId} is not recorded (yet): deliver again`);
  const result = event.result as { suggest?: unknown } | undefined;
  return targets[check.target.kind](db, check, verdictOf(result?.suggest), now);
}
