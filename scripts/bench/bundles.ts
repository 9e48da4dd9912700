/**
 * Section 5: what deploys. The size of each built function, and the measurement behind leaving
 * wx-server-sdk out of the bundles (to the cloud's npm install of the function's package.json); the
 * mini program's main package and subpackages, and the TDesign components its pages use.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, posix, relative } from 'node:path';
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

export interface MiniprogramSizes {
  /** bytes of miniprogram/ outside the subpackage roots and miniprogram_npm/ */
  mainPackageBytes: number;
  subpackages: Array<{ root: string; bytes: number }>;
  /** TDesign components named in usingComponents, the ones they use in turn, and their bytes with common/ */
  tdesign: { referenced: string[]; withDependencies: number; bytes: number };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const bytesOf = (files: string[]) => files.reduce((sum, file) => sum + statSync(file).size, 0);
const usingComponentsOf = (jsonFile: string) =>
  Object.values((JSON.parse(readFileSync(jsonFile, 'utf8')) as { usingComponents?: Record<string, string> }).usingComponents ?? {});

const TDESIGN = 'tdesign-miniprogram/';

/** What the mini program uploads: measured on its sources (DevTools compiles .ts to .js of about the same size). */
export function miniprogramSizes(root: string): MiniprogramSizes {
  const app = join(root, 'miniprogram');
  const { subPackages = [] } = JSON.parse(readFileSync(join(app, 'app.json'), 'utf8')) as { subPackages?: Array<{ root: string }> };
  const subRoots = subPackages.map((p) => p.root.replace(/\/$/, ''));
  const files = filesUnder(app).map((file) => relative(app, file).split('\\').join('/'));
  const inside = (file: string, dir: string) => file.startsWith(`${dir}/`);
  const main = files.filter((file) => !inside(file, 'miniprogram_npm') && !subRoots.some((dir) => inside(file, dir)));

  const dist = join(root, 'node_modules/tdesign-miniprogram/miniprogram_dist');
  const referenced = new Set(
    files
      // the definitions of pages and components: a .json beside a .wxml
      .filter((file) => file.endsWith('.json') && !inside(file, 'miniprogram_npm') && files.includes(file.replace(/\.json$/, '.wxml')))
      .flatMap((file) => usingComponentsOf(join(app, file)))
      .filter((target) => target.startsWith(TDESIGN))
      .map((target) => posix.dirname(target.slice(TDESIGN.length))),
  );
  // TDesign components name the ones they use by relative path ("../icon/icon").
  const needed = new Set<string>();
  const visit = (component: string) => {
    if (needed.has(component)) return;
    needed.add(component);
    const json = join(dist, component, `${basename(component)}.json`);
    if (!existsSync(json)) return;
    for (const target of usingComponentsOf(json)) visit(relative(dist, join(dist, component, dirname(target))));
  };
  referenced.forEach(visit);

  return {
    mainPackageBytes: bytesOf(main.map((file) => join(app, file))),
    subpackages: subRoots.map((dir) => ({ root: dir, bytes: bytesOf(files.filter((file) => inside(file, dir)).map((file) => join(app, file))) })),
    tdesign: {
      referenced: [...referenced].sort(),
      withDependencies: needed.size,
      bytes: bytesOf([...needed, 'common'].flatMap((dir) => filesUnder(join(dist, dir)))),
    },
  };
}
