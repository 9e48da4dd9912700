/**
 * Issue 10's playing load: the learners who bought open a paid lesson of their course and save what they
 * played, all at once, at the pace the player saves (once per `SAVE_INTERVAL_SEC`), while the emulator's DB
 * request counter is sampled every second: the peak DB requests per second of 1,000 learners playing.
 */
import { readFileSync } from 'node:fs';
import type { Agent } from 'node:http';
import { join } from 'node:path';
import type { LessonView } from '../../domain/contracts/catalog';
import type { SaveProgressResponse } from '../../domain/contracts/learning';
import type { EmulatorClient } from '../bench/client';

/** A course's first video or audio lesson that is no trial: what a buyer plays (articles and lives have no player). */
export function demoPaidLessons(root: string): Map<string, string> {
  const lessons = readFileSync(join(root, 'database/demo/lessons.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { _id: string; courseId: string; trial: boolean; order: number; type: string });
  const first = new Map<string, string>();
  for (const l of lessons.filter((l) => !l.trial && (l.type === 'video' || l.type === 'audio')).sort((a, b) => a.order - b.order)) if (!first.has(l.courseId)) first.set(l.courseId, l._id);
  return first;
}

/** The emulator's DB requests so far (every collection, transactions' begin and commit included). */
export async function dbRequestsSoFar(client: EmulatorClient): Promise<number> {
  const { collections } = await client.stats();
  return Object.values(collections).reduce((sum, c) => sum + c.requests, 0);
}

/** Reads the DB request counter every second until stopped: requests in each second. */
export function sampleDbRequests(client: EmulatorClient) {
  const perSecond: number[] = [];
  let stopped = false;
  const running = (async () => {
    let last = await dbRequestsSoFar(client);
    while (!stopped) {
      await new Promise((r) => setTimeout(r, 1000));
      const now = await dbRequestsSoFar(client);
      perSecond.push(now - last);
      last = now;
    }
  })();
  return {
    async stop() {
      stopped = true;
      await running;
      return perSecond;
    },
  };
}

export interface PlayResult {
  players: number;
  /** the window over which the players open their lesson and save once */
  windowSec: number;
  saved: number;
  failures: Array<{ openid: string; error: string }>;
  /** DB requests in each second of the window */
  perSecond: number[];
  /** the seconds of `perSecond` in which the players opened their lessons; the saves come after */
  openingSec: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The players open their lessons in the first sixth of the window, and save within the rest of it. */
const OPENING_SHARE = 6;

/**
 * Each player starts at a random moment of the window's first sixth (getLesson), plays at 1x and saves once
 * at a random moment after (saveProgress, with the state getLesson answered): the rest of the window is what
 * a save interval of continuous playing costs, every learner's save landing somewhere in it.
 */
export async function playAtOnce(client: EmulatorClient, agent: Agent, players: Array<{ openid: string; lessonId: string }>, windowSec: number): Promise<PlayResult> {
  const sampler = sampleDbRequests(client);
  const failures: PlayResult['failures'] = [];
  let saved = 0;
  const windowMs = windowSec * 1000;
  await Promise.all(
    players.map(async ({ openid, lessonId }) => {
      try {
        await sleep(Math.random() * (windowMs / OPENING_SHARE));
        const opened = (await client.callOk<LessonView>('getLesson', openid, { lessonId }, agent)).data;
        const startedAt = Date.now();
        await sleep(windowMs / OPENING_SHARE + Math.random() * ((windowMs * (OPENING_SHARE - 2)) / OPENING_SHARE));
        const played = Math.floor((Date.now() - startedAt) / 1000);
        const answer = (await client.callOk<SaveProgressResponse>('saveProgress', openid, { lessonId, ranges: [[0, played]], positionSec: played, state: opened.progress?.state }, agent)).data;
        if (answer.watchedSec <= 0) throw new Error(`saveProgress credited nothing of ${played} s played`);
        saved++;
      } catch (e) {
        failures.push({ openid, error: (e as Error).message });
      }
    }),
  );
  return { players: players.length, windowSec, saved, failures, perSecond: await sampler.stop(), openingSec: Math.ceil(windowSec / OPENING_SHARE) };
}
