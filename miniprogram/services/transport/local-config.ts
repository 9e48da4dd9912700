/**
 * The local setup `npm start` writes to miniprogram/config.local.json (git-ignored): the emulator's address,
 * the learners a developer may act as, and the console's address and demo accounts (staff work there, not in
 * the mini program). Only a development build reads it: a trial or release build ignores the file, so a
 * package uploaded with it by mistake still talks to WeChat's cloud.
 */

export interface LocalLearner {
  openid: string;
  name: string;
}

export interface LocalSetup {
  /** the emulator's base URL, e.g. http://192.168.1.20:9911 */
  gateway: string;
  learners: LocalLearner[];
  console?: { url: string; accounts: Array<{ username: string; password: string; name: string }> };
  /** who calls: the learner picked on the developer panel, else the first */
  learner: LocalLearner;
}

export const LOCAL_CONFIG_FILE = 'config.local.json';
const PICKED_LEARNER_KEY = 'devtools.learner';

const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** The file's content, or an error naming the field that is wrong. */
function parseSetup(text: string): Omit<LocalSetup, 'learner'> {
  const raw = JSON.parse(text) as Record<string, unknown>;
  if (!isText(raw.gateway) || !/^https?:\/\/[^/]+$/.test(raw.gateway)) throw new Error('gateway must be the emulator base URL, like http://192.168.1.20:9911');
  const learners = raw.learners;
  if (!Array.isArray(learners) || !learners.length || !learners.every((l: Record<string, unknown>) => isText(l?.openid) && isText(l?.name))) {
    throw new Error('learners must list at least one {openid, name}');
  }
  const consoleSetup = raw.console as LocalSetup['console'];
  return { gateway: raw.gateway, learners: learners as LocalLearner[], ...(consoleSetup && isText(consoleSetup.url) ? { console: consoleSetup } : {}) };
}

/** The local setup of this launch, or undefined: no file, not a development build, or a file that is wrong (said in the console). */
export function readLocalSetup(): LocalSetup | undefined {
  const { envVersion } = wx.getAccountInfoSync().miniProgram;
  let text: string;
  try {
    text = wx.getFileSystemManager().readFileSync(LOCAL_CONFIG_FILE, 'utf8') as string;
  } catch {
    return undefined;
  }
  if (envVersion !== 'develop') {
    console.warn(`[local cloud] ${LOCAL_CONFIG_FILE} is ignored in a ${envVersion} build: calls go to WeChat's cloud`);
    return undefined;
  }
  let setup: Omit<LocalSetup, 'learner'>;
  try {
    setup = parseSetup(text);
  } catch (e) {
    console.error(`[local cloud] ${LOCAL_CONFIG_FILE} ignored (${(e as Error).message}); npm start writes it afresh`);
    return undefined;
  }
  const picked: unknown = wx.getStorageSync(PICKED_LEARNER_KEY);
  return { ...setup, learner: setup.learners.find((l) => l.openid === picked) ?? setup.learners[0]! };
}

/** Remembers the learner the developer acts as from the next launch on. */
export function pickLearner(openid: string) {
  wx.setStorageSync(PICKED_LEARNER_KEY, openid);
}
