/**
 * Lesson progress: one typed call of `saveProgress`, and what the player has not managed to save yet,
 * kept in local storage so that nothing played is lost when WeChat kills the page or the network fails:
 * it goes with the next save of that lesson, or when the mini program launches again.
 */
import type {
  CheckInRequest,
  CheckInResponse,
  GetStudySummaryRequest,
  ListCheckInsRequest,
  ListCheckInsResponse,
  SaveProgressRequest,
  SaveProgressResponse,
  StudySummary,
} from '../../domain/contracts/learning';
import { callFunction, type Jsonified } from './cloud';

export type SavedProgress = Jsonified<SaveProgressResponse>;
export type CheckInPage = Jsonified<ListCheckInsResponse>;
export type ProgressState = NonNullable<SaveProgressRequest['state']>;
type PlayedRange = SaveProgressRequest['ranges'][number];

/** The player's ranges of one lesson not yet saved, where the learner got, and the last state it was answered. */
interface Unsaved {
  ranges: PlayedRange[];
  positionSec: number;
  state?: ProgressState;
}

const BACKLOG_KEY = 'learning.unsavedProgress';
/** The contract takes at most 100 ranges a save; a backlog longer than that is sent oldest first, in turns. */
const RANGES_PER_SAVE = 100;

function backlog(): Record<string, Unsaved> {
  const stored = wx.getStorageSync(BACKLOG_KEY) as Record<string, Unsaved> | '';
  return stored || {};
}

function keep(all: Record<string, Unsaved>) {
  if (Object.keys(all).length) wx.setStorageSync(BACKLOG_KEY, all);
  else wx.removeStorageSync(BACKLOG_KEY);
}

/** Records what the player played of `lessonId` (to be saved), before anything is sent. */
export function recordPlayed(lessonId: string, ranges: PlayedRange[], positionSec: number, state: ProgressState | undefined) {
  const all = backlog();
  const before = all[lessonId];
  const latest = state ?? before?.state;
  all[lessonId] = { ranges: [...(before?.ranges ?? []), ...ranges], positionSec, ...(latest ? { state: latest } : {}) };
  keep(all);
}

/**
 * Saves what is recorded of `lessonId`: answers the server's progress once saved (and forgets the record),
 * or rejects and keeps it for the next try.
 */
export async function saveRecorded(lessonId: string, quality?: string): Promise<SavedProgress | undefined> {
  const unsaved = backlog()[lessonId];
  if (!unsaved) return undefined;
  const sending = unsaved.ranges.slice(0, RANGES_PER_SAVE);
  const saved = await callFunction<SaveProgressRequest, SaveProgressResponse>('saveProgress', {
    lessonId,
    ranges: sending,
    positionSec: unsaved.positionSec,
    ...(unsaved.state ? { state: unsaved.state } : {}),
    // The media URL a save may bring is of the quality playing.
    ...(quality ? { quality } : {}),
  });
  // Whatever was recorded meanwhile stays, with the state this save answered.
  const all = backlog();
  const rest = (all[lessonId]?.ranges ?? []).slice(sending.length);
  if (rest.length) all[lessonId] = { ...all[lessonId]!, ranges: rest, state: saved.state };
  else delete all[lessonId];
  keep(all);
  return saved;
}

/** Sends every lesson's unsaved progress (on launch); failures stay recorded for the next launch. */
export async function saveAllRecorded(): Promise<void> {
  for (const lessonId of Object.keys(backlog())) {
    try {
      await saveRecorded(lessonId);
    } catch {
      // Still recorded: the next launch or save tries again.
    }
  }
}

/** Checks the learner in today in a course they study (once a day; a second time changes nothing). */
export function checkIn(request: CheckInRequest): Promise<Jsonified<CheckInResponse>> {
  return callFunction<CheckInRequest, CheckInResponse>('checkIn', request);
}

/** The 打卡 page of a course: the learner's streak, total and this month's days, and the latest check-ins. */
export function listCheckIns(courseId: string): Promise<CheckInPage> {
  return callFunction<ListCheckInsRequest, ListCheckInsResponse>('listCheckIns', { courseId });
}

/** What 我的 shows: this week's minutes, the check-in streak, and the lesson to continue. */
export function getStudySummary(): Promise<StudySummary> {
  return callFunction<GetStudySummaryRequest, StudySummary>('getStudySummary', {});
}
