/**
 * Carries out a deploy plan (scripts/deploy/plan.ts) with miniprogram-ci, WeChat's upload API. It is some
 * 1,000 packages, so it is not a dependency of the project: it is installed on first use into the
 * git-ignored `.deploy-tools/`, at the pinned version its calls below were written against.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConsole } from '../build';
import type { Timer } from './checks';
import type { DeployConfig } from './config';
import { describeStep, type DeployPlan, type Step } from './plan';

/** `npm view miniprogram-ci version` when this was written; the signatures below are this version's. */
export const MINIPROGRAM_CI_VERSION = '2.1.42';

/** The part of miniprogram-ci's API the deploy uses (its dist/@types/ci/index.d.ts). */
export interface MiniprogramCi {
  Project: new (options: { appid: string; type: 'miniProgram'; projectPath: string; privateKeyPath: string; ignores?: string[] }) => object;
  upload(options: { project: object; version: string; desc?: string; setting?: { useProjectConfig?: boolean }; robot?: number; onProgressUpdate?: (task: unknown) => void }): Promise<unknown>;
  cloud: {
    uploadFunction(options: { project: object; env: string; name: string; path: string; remoteNpmInstall: boolean }): Promise<{ filesCount: number; packSize: number }>;
    createTimeTrigger(options: { project: object; envId: string; functionName: string; triggersConfig: Timer[] }): Promise<string>;
    uploadStaticStorage(options: { project: object; env: string; path: string; remotePath: string }): Promise<void>;
    uploadStorage(options: { project: object; env: string; path: string; remotePath: string }): Promise<void>;
  };
}

/**
 * createTimeTrigger reports success with this answer; any other answer is a failure it swallowed, and its one
 * failure answer is the same for a malformed config (which the checks rule out) and for a timer of that name
 * already there (a second deploy): so a timer not set is a warning to check, not a stop.
 */
const TRIGGERS_CREATED = '创建定时触发器成功';

/** What a step did: its line, and what a person should check when it may not have done it. */
type Outcome = { line: string; check?: string };

/** miniprogram-ci from `<root>/.deploy-tools`, installed there first when absent or of another version. */
export function loadMiniprogramCi(root: string, log: (line: string) => void): MiniprogramCi {
  const tools = join(root, '.deploy-tools');
  const manifest = join(tools, 'node_modules/miniprogram-ci/package.json');
  const installed = existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version : undefined;
  if (installed !== MINIPROGRAM_CI_VERSION) {
    log(`installing miniprogram-ci@${MINIPROGRAM_CI_VERSION} into .deploy-tools/ (once; about 1,000 packages, a few minutes)`);
    mkdirSync(tools, { recursive: true });
    execFileSync('npm', ['install', '--prefix', tools, '--no-audit', '--no-fund', `miniprogram-ci@${MINIPROGRAM_CI_VERSION}`], { stdio: 'inherit' });
  }
  return createRequire(join(tools, 'package.json'))('miniprogram-ci') as MiniprogramCi;
}

/** Runs one step; answers its outcome, or throws. */
async function runStep(ci: MiniprogramCi, project: object, step: Step, env: string): Promise<Outcome> {
  switch (step.kind) {
    case 'function': {
      // Only the files a function needs (not its TypeScript source nor source map) go in the zip.
      const staging = mkdtempSync(join(tmpdir(), `deploy-${step.name}-`));
      try {
        for (const file of step.files) copyFileSync(join(step.dir, file), join(staging, file));
        const { filesCount, packSize } = await ci.cloud.uploadFunction({ project, env, name: step.name, path: staging, remoteNpmInstall: false });
        return { line: `uploaded (${filesCount} files, ${(packSize / 1024).toFixed(1)} KB zipped)` };
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
    }
    case 'timers': {
      const answer = await ci.cloud.createTimeTrigger({ project, envId: env, functionName: step.function, triggersConfig: step.timers });
      if (answer === TRIGGERS_CREATED) return { line: `${step.timers.length} timer(s) set` };
      const names = step.timers.map((t) => t.name).join(', ');
      return {
        line: `timer(s) not set: miniprogram-ci answered "${answer}"`,
        check: `${step.function}: check its timer(s) ${names} in 云开发控制台 > 云函数 > ${step.function} > 触发器 (already there from an earlier deploy is fine)`,
      };
    }
    case 'console': {
      const outDir = mkdtempSync(join(tmpdir(), 'deploy-console-'));
      try {
        await buildConsole({ envId: env, outDir });
        await ci.cloud.uploadStaticStorage({ project, env, path: outDir, remotePath: step.remotePath });
        return { line: 'built and uploaded' };
      } finally {
        rmSync(outDir, { recursive: true, force: true });
      }
    }
    case 'media':
      await ci.cloud.uploadStorage({ project, env, path: step.dir, remotePath: step.remotePath });
      return { line: 'uploaded' };
    case 'miniprogram':
      // useProjectConfig: project.config.json's settings (TypeScript compiler plugin, es6, minify) as in the devtools.
      await ci.upload({ project, version: step.version, desc: step.desc, setting: { useProjectConfig: true }, robot: 1, onProgressUpdate: () => {} });
      return { line: 'uploaded as a development version: submit it for review in 微信公众平台 > 版本管理' };
  }
}

/**
 * Runs `plan` in order, one line per step. A failure stops it, naming the step and what was already
 * uploaded; running again is safe (uploads overwrite). Answers what a person should check afterwards.
 */
export async function executePlan(ci: MiniprogramCi, plan: DeployPlan, config: DeployConfig, log: (line: string) => void): Promise<string[]> {
  const done: string[] = [];
  const checks: string[] = [];
  let project: object | undefined;
  for (const [i, step] of plan.steps.entries()) {
    const what = describeStep(step, plan);
    const at = `${i + 1}/${plan.steps.length}`;
    try {
      // Built lazily so that a key miniprogram-ci refuses is reported as the first step's failure.
      project ??= new ci.Project({ appid: config.appId, type: 'miniProgram', projectPath: plan.project.path, privateKeyPath: config.privateKeyPath, ignores: plan.project.ignores });
      const outcome = await runStep(ci, project, step, plan.envId);
      log(`${at} ${what}: ${outcome.line}`);
      if (outcome.check) checks.push(outcome.check);
      done.push(what);
    } catch (e) {
      const uploaded = done.length ? `already uploaded: ${done.length} step(s), up to "${done.at(-1)}"` : 'nothing was uploaded';
      throw new Error(`step ${at} (${what}) failed: ${(e as Error).message}\n${uploaded}; uploads overwrite, so fix the cause and run npm run deploy again`);
    }
  }
  return checks;
}
