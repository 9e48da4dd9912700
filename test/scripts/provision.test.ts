import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { PlanError, provisionPlan, type CollectionSpec } from '../../scripts/provision/plan';

/**
 * `npm run provision` (issue 13). The management API it carries the plan out with (`@cloudbase/manager-node`)
 * is Tencent Cloud's, signed with an API key, and cannot be pointed at the emulator: the plan is what is
 * tested, made from the repository's own files, and the mistakes it must stop before anything is sent.
 */
const root = resolve(__dirname, '../..');
const run = promisify(execFile);
const { collections } = JSON.parse(readFileSync(join(root, 'database/collections.json'), 'utf8')) as { collections: Record<string, CollectionSpec> };
const { storage } = JSON.parse(readFileSync(join(root, 'cloud.config.json'), 'utf8')) as { storage: { rules: { read: string; write: string } } };

const work = mkdtempSync(join(tmpdir(), 'zhishi-provision-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const provision = (...args: string[]) => run(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'scripts/provision.ts'), '--config', join(work, 'none.json'), ...args], { cwd: root });

describe('the provision plan', () => {
  it('creates every collection of collections.json with each of its indexes and its security rule, then storage’s rule', () => {
    const { steps, consoleSteps } = provisionPlan(collections, storage.rules);
    const names = Object.keys(collections);
    expect(steps.filter((s) => s.kind === 'collection').map((s) => s.kind === 'collection' && s.name)).toEqual(names);
    const indexes = Object.entries(collections).flatMap(([c, spec]) => (spec.indexes ?? []).map((i) => `${c}.${i.name}`));
    expect(steps.flatMap((s) => (s.kind === 'index' ? [`${s.collection}.${s.name}`] : []))).toEqual(indexes);
    expect(steps.find((s) => s.kind === 'index' && s.collection === 'promoters' && s.name === 'code')).toEqual({
      kind: 'index',
      collection: 'promoters',
      name: 'code',
      keys: [{ field: 'code', direction: 1 }],
      unique: true,
    });
    expect(steps.find((s) => s.kind === 'collectionRule' && s.collection === 'coupons')).toEqual({ kind: 'collectionRule', collection: 'coupons', rule: '{"read":"doc.openid == auth.openid","write":false}' });
    expect(steps.at(-1)).toEqual({ kind: 'storageRule', rule: JSON.stringify(storage.rules) });
    expect(consoleSteps.join('\n')).toContain('消息推送');
  });

  it.each([
    ['a direction other than 1 or -1', { orders: { description: '', indexes: [{ name: 'byDay', keys: { day: 2 } }], rules: { read: false, write: false } } }, 'database/collections.json: collections.orders.indexes[0] (byDay): day must be 1 (ascending) or -1 (descending)'],
    ['an index without keys', { orders: { description: '', indexes: [{ name: 'empty', keys: {} }], rules: { read: false, write: false } } }, 'database/collections.json: collections.orders.indexes[0] (empty): "keys" names at least one field, e.g. {"createdAt": -1}'],
    ['no rules', { orders: { description: '' } }, 'database/collections.json: collections.orders: no "rules": give each collection {"read": ..., "write": ...} (false for functions only)'],
    ['a rule that is neither true, false nor an expression', { orders: { description: '', rules: { read: 1, write: false } } }, 'database/collections.json: collections.orders.rules.read: a rule is true, false or an expression such as "doc.openid == auth.openid"'],
    ['a collection name with a space', { 'my orders': { description: '', rules: { read: false, write: false } } }, 'database/collections.json: collections.my orders: a collection name is letters, digits and _ (starting with a letter), at most 64'],
  ])('stops at %s, naming the file, the place and the fix', (_what, bad, message) => {
    expect(() => provisionPlan(bad as unknown as Record<string, CollectionSpec>, storage.rules)).toThrow(new PlanError(message));
  });

  it('stops when storage has no rules', () => {
    expect(() => provisionPlan(collections, undefined)).toThrow('cloud.config.json: storage.rules needs "read" and "write" expressions');
  });
});

describe('npm run provision', () => {
  it('prints the plan without sending anything when no environment is configured', async () => {
    const { stdout } = await provision();
    expect(stdout).toContain('[provision] plan (no cloudbase.local.json with envId, secretId and secretKey: nothing will be sent); --apply carries it out:');
    expect(stdout).toContain('collection orders: create if missing');
    expect(stdout).toContain('  index orders.status_createdAt (status asc, createdAt asc): create if missing');
    expect(stdout).toContain('in the consoles, once (the management API does not cover these):');
  });

  it('refuses to apply without an environment and a key, and names a mistake in the files before anything is sent', async () => {
    const noTarget = await provision('--apply').catch((e: { code: number; stderr: string }) => e);
    expect(noTarget).toMatchObject({ code: 1 });
    expect((noTarget as { stderr: string }).stderr.trim()).toBe(`[provision] --apply needs ${join(work, 'none.json')} with envId, secretId and secretKey (copy cloudbase.local.example.json)`);

    const broken = join(work, 'collections.json');
    writeFileSync(broken, JSON.stringify({ collections: { orders: { description: 'x', indexes: [{ name: 'byDay', keys: { day: 0 } }], rules: { read: false, write: false } } } }));
    const refused = await provision('--collections', broken).catch((e: { code: number; stderr: string }) => e);
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toContain('collections.orders.indexes[0] (byDay): day must be 1 (ascending) or -1 (descending)');
  });
});
