/**
 * `deploy.local.json` (git-ignored; see deploy.local.example.json): which mini program and CloudBase
 * environment `npm run deploy` uploads to, and the path of the code upload key. A mistake names the file,
 * the field and the fix, before anything is sent. The key's contents are never read here nor printed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

export interface DeployConfig {
  appId: string;
  envId: string;
  /** Absolute path of the key file. */
  privateKeyPath: string;
}

export class ConfigError extends Error {}

/** Where each value comes from, said with each mistake. */
const FIX: Record<keyof DeployConfig, string> = {
  appId: 'the mini program\'s AppID, "wx" and 16 hex digits (微信公众平台 > 开发管理 > 开发设置 > AppID)',
  envId: 'the CloudBase environment ID, lowercase letters, digits and "-" such as "prod-1a2b3c" (云开发控制台 > 环境 ID)',
  privateKeyPath: 'the path of the code upload key, e.g. "private.wx0123456789abcdef.key" (微信公众平台 > 开发管理 > 开发设置 > 小程序代码上传密钥)',
};

const schema = z.object({
  appId: z.string().regex(/^wx[0-9a-f]{16}$/),
  // The example's placeholder is a well-formed id: refuse it too, so a half-filled copy uploads nowhere.
  envId: z.string().regex(/^[a-z0-9][a-z0-9-]{2,46}[a-z0-9]$/).refine((v) => v !== 'your-env-id'),
  privateKeyPath: z.string().min(1),
});

/** True when git tracks `file` (or has it staged): a key there would be, or has been, committed. */
export function trackedByGit(file: string): boolean {
  try {
    execFileSync('git', ['ls-files', '--error-unmatch', '--', basename(file)], { cwd: dirname(file), stdio: 'ignore' });
    return true;
  } catch {
    // Not tracked, or not inside a repository at all.
    return false;
  }
}

/** Reads and checks `file`; `privateKeyPath` is taken relative to the file's folder. */
export function loadDeployConfig(file: string): DeployConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`${file}: not readable JSON (${(e as Error).message}): copy deploy.local.example.json and fill it in`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const fields = new Set(parsed.error.issues.map((issue) => String(issue.path[0]) as keyof DeployConfig));
    const messages = [...fields].map((field) => {
      const value = (raw as Record<string, unknown> | null)?.[field];
      return `${file}: ${field} ${value === undefined ? 'is missing' : `${JSON.stringify(value)} is not valid`}: give ${FIX[field]}`;
    });
    throw new ConfigError(messages.join('\n'));
  }
  const { appId, envId } = parsed.data;
  const privateKeyPath = isAbsolute(parsed.data.privateKeyPath) ? parsed.data.privateKeyPath : resolve(dirname(file), parsed.data.privateKeyPath);
  if (!existsSync(privateKeyPath) || !statSync(privateKeyPath).isFile()) {
    throw new ConfigError(`${file}: privateKeyPath: no file at ${privateKeyPath}: download the key (微信公众平台 > 开发管理 > 开发设置 > 小程序代码上传密钥) and give its path`);
  }
  if (trackedByGit(privateKeyPath)) {
    throw new ConfigError(`${file}: privateKeyPath: ${privateKeyPath} is tracked by git: a key must never be committed; git rm --cached it, keep it git-ignored (private.*.key) and reset the key in 微信公众平台 if it was pushed`);
  }
  return { appId, envId, privateKeyPath };
}
