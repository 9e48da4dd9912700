/**
 * Carries out a provision plan with `@cloudbase/manager-node` (CloudBase's management API, the one its CLI
 * uses): collections and indexes created only when missing, security rules set (the same rule again changes
 * nothing). The management API is Tencent Cloud's, signed with an API key: it cannot be pointed at the local
 * emulator, so tests check the plan (plan.ts) and the emulator applies the same file itself on start.
 */
import type { ProvisionPlan, ProvisionStep } from './plan';

/** What the script uses of manager-node (typed here from its declarations). */
export interface Manager {
  database: {
    createCollectionIfNotExists(name: string): Promise<unknown>;
    checkIndexExists(collection: string, index: string): Promise<{ Exists: boolean }>;
    updateCollection(
      collection: string,
      info: { CreateIndexes: Array<{ IndexName: string; MgoKeySchema: { MgoIndexKeys: Array<{ Name: string; Direction: string }>; MgoIsUnique: boolean } }> },
    ): Promise<unknown>;
  };
  permission: {
    modifyResourcePermission(options: { resourceType: 'collection' | 'storage'; resource?: string; permission: 'CUSTOM'; securityRule: string }): Promise<unknown>;
  };
}

async function apply(manager: Manager, step: ProvisionStep): Promise<string> {
  switch (step.kind) {
    case 'collection':
      await manager.database.createCollectionIfNotExists(step.name);
      return `collection ${step.name}: ok`;
    case 'index': {
      if ((await manager.database.checkIndexExists(step.collection, step.name)).Exists) return `index ${step.collection}.${step.name}: exists`;
      const MgoIndexKeys = step.keys.map((k) => ({ Name: k.field, Direction: String(k.direction) }));
      await manager.database.updateCollection(step.collection, { CreateIndexes: [{ IndexName: step.name, MgoKeySchema: { MgoIndexKeys, MgoIsUnique: step.unique } }] });
      return `index ${step.collection}.${step.name}: created`;
    }
    case 'collectionRule':
      await manager.permission.modifyResourcePermission({ resourceType: 'collection', resource: step.collection, permission: 'CUSTOM', securityRule: step.rule });
      return `security rule of ${step.collection}: set`;
    case 'storageRule':
      await manager.permission.modifyResourcePermission({ resourceType: 'storage', permission: 'CUSTOM', securityRule: step.rule });
      return 'storage security rule: set';
  }
}

/** Runs every step in order, one at a time (the management API is rate-limited); answers what each did. */
export async function applyPlan(manager: Manager, plan: ProvisionPlan, log: (line: string) => void): Promise<void> {
  for (const step of plan.steps) log(await apply(manager, step));
}
