/**
 * What `npm run deploy` uploads, in order (issue 13): a pure function of the dry run's findings and the
 * options, printed before anything is sent, then carried out step by step (scripts/deploy/upload.ts).
 * Every upload overwrites what is there, so after a failure the same plan can simply run again.
 */
import { join } from 'node:path';
import type { FunctionFinding, Timer } from './checks';

export const PARTS = ['functions', 'console', 'miniprogram'] as const;
export type Part = (typeof PARTS)[number];

/** The files a function's upload holds: the self-contained bundle, its config, and package.json (no dependencies). */
export const FUNCTION_FILES = ['index.js', 'config.json', 'package.json'];

/**
 * Left out of the mini program's upload (globs relative to the project, as miniprogram-ci's Project takes them):
 * config.local.json points a developer's mini program at the local emulator and must never ship; no other
 * local setting or key file either.
 */
export const MINIPROGRAM_IGNORES = ['miniprogram/config.local.json', '**/*.local.json', '**/private.*.key', '.deploy-tools/**'];

export type Step =
  | { kind: 'function'; name: string; dir: string; files: string[] }
  | { kind: 'timers'; function: string; timers: Timer[] }
  | { kind: 'console'; source: string; remotePath: string }
  | { kind: 'media'; dir: string; remotePath: string }
  | { kind: 'miniprogram'; version: string; desc: string };

export interface DeployPlan {
  appId: string;
  envId: string;
  /** miniprogram-ci's Project: every call is signed through it; `ignores` applies to the mini program's upload. */
  project: { path: string; ignores: string[] };
  steps: Step[];
  warnings: string[];
}

export interface PlanInput {
  root: string;
  appId: string;
  envId: string;
  /** checkFunctions's findings: every built function with its timers. */
  functions: FunctionFinding[];
  /** The dry run's warnings that still apply to an upload (the function quota). */
  warnings: string[];
  version: string;
  desc: string;
  media: boolean;
  only: readonly Part[];
}

export function deployPlan(input: PlanInput): DeployPlan {
  const { root, only } = input;
  const steps: Step[] = [];
  const warnings = [...input.warnings];
  if (only.includes('functions')) {
    for (const fn of input.functions) {
      steps.push({ kind: 'function', name: fn.name, dir: join(root, 'cloudfunctions', fn.name), files: FUNCTION_FILES });
      if (fn.timers.length) steps.push({ kind: 'timers', function: fn.name, timers: fn.timers });
    }
    // cloud.uploadFunction sends code only, and creates a missing function with its own defaults.
    warnings.push(
      "miniprogram-ci uploads a function's code only: a function it has to create gets Node.js 8.9 and a 3 s timeout (the bundles need Node.js 16+), and config.json's timeout is not applied: create new functions once with the devtools (上传并部署) and check timeouts in the CloudBase console",
    );
  }
  if (only.includes('console')) steps.push({ kind: 'console', source: join(root, 'cms'), remotePath: 'console/' });
  if (input.media) steps.push({ kind: 'media', dir: join(root, 'database/demo/media'), remotePath: 'demo/' });
  if (only.includes('miniprogram')) steps.push({ kind: 'miniprogram', version: input.version, desc: input.desc });
  return { appId: input.appId, envId: input.envId, project: { path: root, ignores: MINIPROGRAM_IGNORES }, steps, warnings };
}

/** One line per step, as printed before and while uploading. */
export function describeStep(step: Step, plan: DeployPlan): string {
  const { envId } = plan;
  switch (step.kind) {
    case 'function':
      return `function ${step.name} (${step.files.join(', ')}, no remote npm install) → ${envId}`;
    case 'timers':
      return `timers of ${step.function}: ${step.timers.map((t) => `${t.name} (${t.config})`).join(', ')}`;
    case 'console':
      return `console: cms/ built for ${envId} (config.json {"envId": "${envId}"}) → static hosting ${step.remotePath}`;
    case 'media':
      return `demo media: database/demo/media/ → storage ${step.remotePath}`;
    case 'miniprogram':
      return `mini program ${step.version} ("${step.desc}") as ${plan.appId}, without ${plan.project.ignores.join(', ')}`;
  }
}
