import { applyCheckInMediaVerdict } from '../../domain/learning/checkins';
import { applyHomeworkMediaVerdict } from '../../domain/learning/homework';
import { applyMediaCheck } from '../../domain/moderation/media';
import { applyAvatarVerdict } from '../../domain/users/edit';
import { defineMessagePush } from '../../server/handler';

/**
 * WeChat's verdict on a picture or a recording a learner uploaded (message push `wxa_media_check`,
 * cloud.config.json `messagePush`): applied to the homework, check-in or avatar it belongs to.
 */
export const main = defineMessagePush((event, { db, now }) =>
  applyMediaCheck(db, event, { homework: applyHomeworkMediaVerdict, checkin: applyCheckInMediaVerdict, avatar: applyAvatarVerdict }, now),
);
