/**
 * `npm run deploy` (issue 13, first step): the dry run. It checks, without any network, what a deploy would
 * send (scripts/deploy/checks.ts): every function's bundle and config against CloudBase's limits, every page
 * the server side opens against app.json, the mini program's packages against WeChat's limits, the
 * collections and rules `npm run provision` would apply, the console's build, and that no tracked file holds
 * a secret; then prints the plan. A problem names its file and the fix; exit 1.
 * Uploading (miniprogram-ci's cloud.uploadFunction and createTimeTrigger, static hosting) is not built yet:
 * until then deploy with the WeChat devtools CLI as README, Deploying, says.
 */
import { resolve } from 'node:path';
import { checkConsole, checkDatabase, checkFunctions, checkPackages, checkPages, checkSecrets, serverSources, type CheckResult } from './deploy/checks';

const root = resolve(__dirname, '..');
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function main(): number {
  const functions = checkFunctions(root);
  const packages = checkPackages(root);
  const sections: Array<[string, CheckResult]> = [
    ['functions', functions],
    ['pages opened by messages, codes and shares', checkPages(root, serverSources(root))],
    ['mini program packages', packages],
    ['collections and security rules', checkDatabase(resolve(root, 'database/collections.json'), resolve(root, 'cloud.config.json'))],
    ['creator console', checkConsole(root)],
    ['secrets in tracked files', checkSecrets(root)],
  ];
  console.log('[deploy] dry run: nothing is sent');
  for (const fn of functions.functions) {
    console.log(`  ${fn.name.padEnd(26)} ${kb(fn.bytes).padStart(11)}  timeout ${String(fn.timeout).padStart(2)} s${fn.openapi.length ? `  openapi ${fn.openapi.join(', ')}` : ''}${fn.triggers.length ? `  timer ${fn.triggers.join(', ')}` : ''}`);
  }
  const { mainPackageBytes, tdesign, subpackages } = packages.sizes;
  console.log(`  mini program: main ${kb(mainPackageBytes + tdesign.bytes)} (TDesign ${kb(tdesign.bytes)}); ${subpackages.map((s) => `${s.root} ${kb(s.bytes)}`).join(', ')}`);
  let problems = 0;
  for (const [name, result] of sections) {
    for (const w of result.warnings) console.log(`[deploy] warning (${name}): ${w.file}: ${w.message}`);
    for (const p of result.problems) console.error(`[deploy] problem (${name}): ${p.file}: ${p.message}`);
    problems += result.problems.length;
  }
  console.log(problems ? `[deploy] ${problems} problem(s): fix them before deploying` : `[deploy] ${functions.functions.length} functions, the console and the database rules are ready to deploy`);
  return problems ? 1 : 0;
}

process.exit(main());
