/**
 * Builds what runs: each cloud function into one `cloudfunctions/<name>/index.js` (what the emulator runs
 * is what deploys), and the emulator into `emulator/dist/`.
 *
 * wx-server-sdk is bundled in too: the deployed bytes are exactly the tested bytes, nothing is installed
 * in the cloud, and the cold start is faster (README, "Measured figures", has the measurement).
 */
import { build, type BuildOptions } from 'esbuild';
import { copyFileSync, cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');

/** Folders under `parent` that hold a function (an `index.ts`). */
export function functionDirs(parent: string): string[] {
  return readdirSync(parent)
    .map((name) => join(parent, name))
    .filter((dir) => existsSync(join(dir, 'index.ts')));
}

/** Bundles `<srcDir>/index.ts` into `<outDir>/index.js`, with its `config.json` beside it. */
export async function buildFunction(srcDir: string, options: { outDir?: string; bundleSdk?: boolean } = {}) {
  const bundleSdk = options.bundleSdk ?? true;
  const outDir = options.outDir ?? srcDir;
  const outfile = join(outDir, 'index.js');
  await build({
    entryPoints: [join(srcDir, 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    // CloudBase's Node.js 16 runtime is the oldest we deploy to.
    target: 'node16',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    external: bundleSdk ? [] : ['wx-server-sdk'],
    logLevel: 'warning',
  });
  if (outDir !== srcDir && existsSync(join(srcDir, 'config.json'))) {
    copyFileSync(join(srcDir, 'config.json'), join(outDir, 'config.json'));
  }
  return { outfile, bytes: statSync(outfile).size };
}

export async function buildEmulator() {
  const common: BuildOptions = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'warning',
  };
  await build({
    ...common,
    entryPoints: {
      main: join(root, 'emulator/src/main.ts'),
      worker: join(root, 'emulator/src/functions/worker.ts'),
    },
    outdir: join(root, 'emulator/dist'),
  });
}

/**
 * What WeChat DevTools' "构建 npm" does for TDesign (project.config.json, packNpmRelationList): its
 * `miniprogram_dist` becomes `miniprogram/miniprogram_npm/tdesign-miniprogram`, so pages can name
 * components `tdesign-miniprogram/<name>/<name>` in tests and CI too.
 */
export function buildMiniprogramNpm() {
  const target = join(root, 'miniprogram/miniprogram_npm/tdesign-miniprogram');
  rmSync(target, { recursive: true, force: true });
  cpSync(join(root, 'node_modules/tdesign-miniprogram/miniprogram_dist'), target, { recursive: true });
}

/**
 * The creator console: `cms/` built by Vite into `cms/dist/` (or `outDir`), the static files hosting serves.
 * With `envId` (a deploy), the `config.json` the page reads at start is written beside `index.html`, naming
 * that environment (no `host`: the SDK talks to the cloud).
 */
export async function buildConsole(options: { envId?: string; outDir?: string } = {}) {
  // Vite is ESM only: loaded when the console is built, not when a test imports this file for buildFunction.
  const { build: viteBuild } = await import('vite');
  const outDir = options.outDir ?? join(root, 'cms/dist');
  await viteBuild({ configFile: join(root, 'cms/vite.config.mts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  if (options.envId) writeFileSync(join(outDir, 'config.json'), `${JSON.stringify({ envId: options.envId })}\n`);
  return outDir;
}

async function main() {
  const started = Date.now();
  await buildEmulator();
  buildMiniprogramNpm();
  await buildConsole();
  const built = await Promise.all(functionDirs(join(root, 'cloudfunctions')).map((dir) => buildFunction(dir)));
  const total = built.reduce((sum, b) => sum + b.bytes, 0);
  console.log(`built emulator, console and ${built.length} functions (${(total / 1024).toFixed(1)} KB) in ${Date.now() - started} ms`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
