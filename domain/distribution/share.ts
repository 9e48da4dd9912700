/** What a learner's share or poster carries: their code in the scene of a mini-program code. */
import type { MiniProgramCodes } from '../../server/codes';
import type { Database } from '../../server/database';
import type { Storage } from '../../server/storage';
import type { GetShareCodeResponse } from '../contracts/distribution';
import { DomainError } from '../errors';
import { publishedCourse } from '../orders/create';
import { sharerOf } from './promoters';

/** WeChat's limit on a code's scene. */
const MAX_SCENE = 32;
const COURSE_PAGE = 'packages/course/detail/index';
const HOME_PAGE = 'pages/home/index';
/** How long the code's URL stays valid for the poster to draw it. */
const URL_SECONDS = 600;

/**
 * The scene a share carries: `r=<code>` (the sharer), and `c=<courseId>` for a course's page. The course
 * page and the home page read it (miniprogram services/referral).
 */
export const shareScene = (code: string, courseId?: string) => (courseId ? `r=${code}&c=${courseId}` : `r=${code}`);

/**
 * A code opening the course's page (or the home page) with the learner's referral, stored under their code
 * (`share-codes/<code>/<course or home>.png`, replaced each time) and handed out as a short-lived URL.
 * Requests: the course and the learner's sharing record at once (and the record's insert the first time).
 */
export async function getShareCode(db: Database, files: Storage, codes: MiniProgramCodes, openid: string, courseId: string | undefined, now: Date): Promise<GetShareCodeResponse> {
  const [sharer] = await Promise.all([sharerOf(db, openid, now), courseId ? publishedCourse(db, courseId) : undefined]);
  const scene = shareScene(sharer.code, courseId);
  if (scene.length > MAX_SCENE) throw new DomainError('CONFLICT', '课程编号过长，暂不能生成小程序码，请分享卡片');
  const page = courseId ? COURSE_PAGE : HOME_PAGE;
  const fileId = await files.upload(`share-codes/${sharer.code}/${courseId ?? 'home'}.png`, await codes.unlimited(page, scene));
  const url = (await files.tempUrls([fileId], URL_SECONDS)).get(fileId)!;
  return { fileId, url, page, scene };
}
