/**
 * miniprogram/config.local.json, which `npm start` writes (git-ignored): with it, the mini program in WeChat
 * DevTools talks to this emulator instead of WeChat's cloud (miniprogram/services/transport). It names the
 * gateway's address as DevTools can reach it, the learners a developer may act as (the developer panel),
 * and the console with its local demo accounts, where staff work.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';

export interface DevToolsConfig {
  $comment: string;
  gateway: string;
  learners: Array<{ openid: string; name: string }>;
  console: { url: string; accounts: Array<{ username: string; password: string; name: string }> };
}

/** A learner with nothing bought, to see the school as a newcomer does. */
export const NEWCOMER = { openid: 'o-devtools-newcomer', name: '新学员（还没有购买）' };

/**
 * The address DevTools uses: listening on every interface, the machine's LAN address (DevTools often runs
 * on another machine than a Linux emulator); otherwise the address listened on.
 */
export function gatewayAddress(emulatorUrl: string, host: string): string {
  if (host !== '0.0.0.0' && host !== '::') return emulatorUrl;
  const lan = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal);
  const url = new URL(emulatorUrl);
  url.hostname = lan?.address ?? '127.0.0.1';
  return url.origin;
}

/** The demo school's first learners (database/demo/users.jsonl), and a newcomer. */
function demoLearners(demoDir: string): DevToolsConfig['learners'] {
  const file = join(demoDir, 'users.jsonl');
  const users = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { _id: string; nickname: string })
    : [];
  return [...users.slice(0, 2).map((u) => ({ openid: u._id, name: u.nickname })), NEWCOMER];
}

export function devToolsConfig(gateway: string, demoDir: string, accounts: DevToolsConfig['console']['accounts']): DevToolsConfig {
  return {
    $comment: 'Written by npm start for WeChat DevTools (README, "The mini program in WeChat DevTools"); git-ignored. Delete it to use WeChat\'s cloud again.',
    gateway,
    learners: demoLearners(demoDir),
    console: { url: `${gateway}/console/`, accounts },
  };
}

/** Writes the file into `miniprogramDir` (when that folder exists); answers its path. */
export function writeDevToolsConfig(miniprogramDir: string, config: DevToolsConfig): string | undefined {
  if (!existsSync(miniprogramDir)) return undefined;
  const file = join(miniprogramDir, 'config.local.json');
  writeFileSync(file, JSON.stringify(config, null, 2) + '\n');
  return file;
}
