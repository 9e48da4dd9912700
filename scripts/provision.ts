/**
 * `npm run provision`: the collections of database/collections.json with their indexes and security rules,
 * and cloud.config.json's storage rule, in a CloudBase environment (scripts/provision/*).
 *   npm run provision                 the plan only, unless cloudbase.local.json names an environment and a key
 *   npm run provision -- --apply      carries it out with @cloudbase/manager-node (cloudbase.local.json)
 *   npm run provision -- --dry-run    the plan only, whatever is configured
 * A mistake in either file is named with its place and the fix, before anything is sent; exits 1.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { applyPlan, type Manager } from './provision/apply';
import { describePlan, PlanError, provisionPlan, type CollectionSpec } from './provision/plan';

const root = resolve(__dirname, '..');

interface LocalConfig {
  envId?: string;
  secretId?: string;
  secretKey?: string;
}

async function main() {
  const { values } = parseArgs({
    options: {
      apply: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      collections: { type: 'string', default: resolve(root, 'database/collections.json') },
      'cloud-config': { type: 'string', default: resolve(root, 'cloud.config.json') },
      config: { type: 'string', default: resolve(root, 'cloudbase.local.json') },
    },
  });
  const { collections } = JSON.parse(readFileSync(values.collections, 'utf8')) as { collections: Record<string, CollectionSpec> };
  const { storage } = JSON.parse(readFileSync(values['cloud-config'], 'utf8')) as { storage?: { rules?: { read: string; write: string } } };
  const plan = provisionPlan(collections, storage?.rules);
  const config = existsSync(values.config) ? (JSON.parse(readFileSync(values.config, 'utf8')) as LocalConfig) : undefined;
  const configured = !!(config?.envId && config.secretId && config.secretKey);
  if (values['dry-run'] || !values.apply) {
    console.log(`[provision] plan${configured ? '' : ' (no cloudbase.local.json with envId, secretId and secretKey: nothing will be sent)'}; --apply carries it out:`);
    for (const line of describePlan(plan)) console.log(line);
    return;
  }
  if (!configured) throw new PlanError(`--apply needs ${values.config} with envId, secretId and secretKey (copy cloudbase.local.example.json)`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const CloudBase = require('@cloudbase/manager-node') as new (config: { envId: string; secretId: string; secretKey: string }) => Manager;
  const manager = new CloudBase({ envId: config!.envId!, secretId: config!.secretId!, secretKey: config!.secretKey! });
  console.log(`[provision] applying to ${config!.envId}`);
  await applyPlan(manager, plan, (line) => console.log(`[provision] ${line}`));
  console.log('[provision] done; in the consoles, once:');
  for (const step of plan.consoleSteps) console.log(`  - ${step}`);
}

main().catch((e: unknown) => {
  console.error(`[provision] ${(e as Error).message}`);
  process.exit(1);
});
