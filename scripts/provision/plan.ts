/**
 * What `npm run provision` does to an environment (issue 13), as data: every collection of
 * `database/collections.json` with its indexes and its security rule, and the storage rule of
 * `cloud.config.json`; checked first, so a mistake names its file and place before anything is sent. What
 * only the WeChat and CloudBase consoles can do is listed as steps for a person.
 */

/** A collection as `database/collections.json` declares it. */
export interface CollectionSpec {
  description: string;
  indexes?: Array<{ name: string; keys: Record<string, number>; unique?: boolean }>;
  rules?: { read: string | boolean; write: string | boolean };
}

export type ProvisionStep =
  | { kind: 'collection'; name: string }
  | { kind: 'index'; collection: string; name: string; keys: Array<{ field: string; direction: 1 | -1 }>; unique: boolean }
  | { kind: 'collectionRule'; collection: string; rule: string }
  | { kind: 'storageRule'; rule: string };

export interface ProvisionPlan {
  steps: ProvisionStep[];
  /** what a person does in the consoles, once */
  consoleSteps: string[];
}

/** A mistake in the files the plan is made from: where, and what to do. */
export class PlanError extends Error {}

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

function ruleOf(where: string, rules: CollectionSpec['rules']): string {
  if (!rules) throw new PlanError(`${where}: no "rules": give each collection {"read": ..., "write": ...} (false for functions only)`);
  for (const side of ['read', 'write'] as const) {
    const rule = rules[side];
    if (typeof rule !== 'boolean' && (typeof rule !== 'string' || !rule.trim())) {
      throw new PlanError(`${where}.rules.${side}: a rule is true, false or an expression such as "doc.openid == auth.openid"`);
    }
  }
  return JSON.stringify({ read: rules.read, write: rules.write });
}

/** The plan for `collections` (database/collections.json's `collections`) and `storageRules` (cloud.config.json's `storage.rules`). */
export function provisionPlan(collections: Record<string, CollectionSpec>, storageRules: { read: string; write: string } | undefined): ProvisionPlan {
  const steps: ProvisionStep[] = [];
  for (const [name, spec] of Object.entries(collections)) {
    const where = `database/collections.json: collections.${name}`;
    if (!NAME.test(name)) throw new PlanError(`${where}: a collection name is letters, digits and _ (starting with a letter), at most 64`);
    steps.push({ kind: 'collection', name });
    for (const [i, index] of (spec.indexes ?? []).entries()) {
      const at = `${where}.indexes[${i}]`;
      if (!index.name || !NAME.test(index.name)) throw new PlanError(`${at}: an index needs a "name" of letters, digits and _`);
      const keys = Object.entries(index.keys ?? {});
      if (!keys.length) throw new PlanError(`${at} (${index.name}): "keys" names at least one field, e.g. {"createdAt": -1}`);
      const bad = keys.find(([, d]) => d !== 1 && d !== -1);
      if (bad) throw new PlanError(`${at} (${index.name}): ${bad[0]} must be 1 (ascending) or -1 (descending)`);
      steps.push({ kind: 'index', collection: name, name: index.name, keys: keys.map(([field, d]) => ({ field, direction: d as 1 | -1 })), unique: index.unique === true });
    }
    steps.push({ kind: 'collectionRule', collection: name, rule: ruleOf(where, spec.rules) });
  }
  if (!storageRules?.read || !storageRules.write) throw new PlanError('cloud.config.json: storage.rules needs "read" and "write" expressions');
  steps.push({ kind: 'storageRule', rule: JSON.stringify({ read: storageRules.read, write: storageRules.write }) });
  return { steps, consoleSteps: CONSOLE_STEPS };
}

/** What the management API does not cover: done once per environment, by a person (README, Deploying). */
const CONSOLE_STEPS = [
  '微信公众平台 > 订阅消息: pick the templates of cloud.config.json subscribeMessage and put their ids there',
  '云开发控制台 > 设置 > 其他设置 > 微信支付配置: bind the sub-merchant of cloud.config.json cloudPay.subMchId',
  '微信公众平台 > 开发 > 开发管理 > 消息推送: cloud function mode, route xpay_goods_deliver_notify, xpay_refund_notify and wxa_media_check as cloud.config.json messagePush says',
  '云开发控制台 > 身份认证: enable 用户名密码登录 and create the staff accounts; add the owner to staff by hand once',
  '云开发控制台 > 环境配置 > 安全来源: add the static hosting domain of the creator console',
];

/** The plan as a person reads it. */
export function describePlan(plan: ProvisionPlan): string[] {
  const lines = plan.steps.map((step) => {
    switch (step.kind) {
      case 'collection':
        return `collection ${step.name}: create if missing`;
      case 'index':
        return `  index ${step.collection}.${step.name} (${step.keys.map((k) => `${k.field} ${k.direction === 1 ? 'asc' : 'desc'}`).join(', ')}${step.unique ? ', unique' : ''}): create if missing`;
      case 'collectionRule':
        return `  security rule of ${step.collection}: ${step.rule}`;
      case 'storageRule':
        return `storage security rule: ${step.rule}`;
    }
  });
  return [...lines, '', 'in the consoles, once (the management API does not cover these):', ...plan.consoleSteps.map((s) => `  - ${s}`)];
}
