/**
 * Section 5: what deploys. The size of each built function, and the measurement behind leaving
 * wx-server-sdk out of the bundles (to the cloud's npm install of the function's package.json).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { buildFunction, functionDirs } from '../build';
import { median } from './stats';

/** Fresh `node` processes per variant; the median of their `require()` times is reported. */
const REQUIRE_RUNS = 7;
/** The function the bundling decision is measured on: the product's, with wx-server-sdk in use. */
const MEASURED = 'login';

export interface BundleSize {
  name: string;
  bytes: number;
}

export interface SdkPlacementResult {
  function: string;
  bundled: { bytes: number; requireMs: number };
  external: { bytes: number; requireMs: number };
}

/** Sizes of the built `cloudfunctions/<name>/index.js` (what `npm run build` produced). */
export function builtFunctionSizes(root: string): BundleSize[] {
  return functionDirs(join(root, 'cloudfunctions')).map((dir) => ({
    name: basename(dir),
    bytes: statSync(join(dir, 'index.js')).size,
  }));
}

/**
 * Builds `login` with wx-server-sdk inside the bundle and outside it, and times a cold `require()` of
 * each in fresh node processes. Outside, `wx-server-sdk` resolves from the repository's node_modules
 * (through NODE_PATH, as the bundle sits in a temporary folder), as it would from the function's own
 * node_modules after the cloud's npm install.
 */
export async function benchSdkPlacement(root: string, workDir: string): Promise<SdkPlacementResult> {
  const source = join(root, 'cloudfunctions', MEASURED);
  const variant = async (bundleSdk: boolean) => {
    const outDir = join(workDir, bundleSdk ? 'sdk-bundled' : 'sdk-external', MEASURED);
    mkdirSync(outDir, { recursive: true });
    const { outfile, bytes } = await buildFunction(source, { outDir, bundleSdk });
    // The bundled variant gets no NODE_PATH, so a require that escaped the bundle would fail here.
    const nodePath = bundleSdk ? undefined : join(root, 'node_modules');
    const runs = Array.from({ length: REQUIRE_RUNS }, () => requireMs(outfile, workDir, nodePath));
    return { bytes, requireMs: median(runs) };
  };
  return { function: MEASURED, bundled: await variant(true), external: await variant(false) };
}

/** Milliseconds a fresh node process takes to `require()` `file` (module loading and top-level code). */
function requireMs(file: string, cwd: string, nodePath: string | undefined): number {
  const script = 'const t = process.hrtime.bigint(); require(process.argv[1]); console.log(Number(process.hrtime.bigint() - t) / 1e6);';
  const env = { ...process.env, NODE_PATH: nodePath ?? '' };
  const output = execFileSync(process.execPath, ['-e', script, file], { cwd, env, encoding: 'utf8', timeout: 30_000 });
  const ms = Number(output.trim().split('\n').pop());
  if (!Number.isFinite(ms)) throw new Error(`timing require(${file}) printed ${JSON.stringify(output)}`);
  return ms;
}
