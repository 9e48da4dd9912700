/** The school's distribution rules: read by orders and learners, changed from the console (audited). */
import { readIfExists, type Database } from '../../server/database';
import { COURSES } from '../catalog/courses';
import type { GetDistributionSettingsResponse, saveDistributionSettingsRequest } from '../contracts/distribution';
import type * as z from '../contracts/schema';
import { CAMPAIGNS } from '../coupons/model';
import { DomainError } from '../errors';
import { recordAudit, type StaffRef } from '../staff/audit';
import { DEFAULT_DISTRIBUTION, DISTRIBUTION_SETTINGS_ID, SETTINGS, type DistributionSettings } from './model';

type Stored = Omit<DistributionSettings, 'updatedAt'> & { updatedAt?: Date };

/** The rules as stored, or the defaults (off) for a school that never set them: one request. */
export async function distributionSettings(db: Database): Promise<Stored> {
  const { data } = await db.collection<DistributionSettings & { _id: string }>(SETTINGS).where({ _id: DISTRIBUTION_SETTINGS_ID }).get();
  if (!data[0]) return DEFAULT_DISTRIBUTION;
  const { _id, ...stored } = data[0];
  return stored;
}

export async function getDistributionSettings(db: Database): Promise<GetDistributionSettingsResponse> {
  return { settings: await distributionSettings(db) };
}

/**
 * Saves the rules, audited in the same transaction. They apply to orders created from then on: an order
 * keeps the terms it was created under (`Order.referral`). Requests: the named courses and campaign at
 * once; a transaction: begin, the settings, the write, the audit entry, commit.
 */
export async function saveDistributionSettings(db: Database, by: StaffRef, req: z.output<typeof saveDistributionSettingsRequest>, now: Date): Promise<GetDistributionSettingsResponse> {
  const courseIds = req.courseRates.map((r) => r.courseId);
  const [courses, campaigns] = await Promise.all([
    courseIds.length ? db.collection(COURSES).where({ _id: db.command.in(courseIds) }).field({ _id: true }).limit(courseIds.length).get() : { data: [] },
    req.inviteRewardCampaignId ? db.collection(CAMPAIGNS).where({ _id: req.inviteRewardCampaignId }).field({ _id: true }).get() : { data: [{}] },
  ]);
  if (courses.data.length !== courseIds.length) throw new DomainError('NOT_FOUND', '单独设置佣金的课程不存在');
  if (!campaigns.data.length) throw new DomainError('NOT_FOUND', '老带新奖励的优惠券不存在');
  const after: DistributionSettings = { ...req, updatedAt: now };
  return db.runTransaction(async (tx) => {
    const before = await readIfExists<DistributionSettings>(tx, SETTINGS, DISTRIBUTION_SETTINGS_ID);
    // Absent fields are left out, not stored as undefined: removing the invitation reward drops it.
    const data = Object.fromEntries(Object.entries(after).filter(([, v]) => v !== undefined)) as DistributionSettings;
    await tx.collection<DistributionSettings>(SETTINGS).doc(DISTRIBUTION_SETTINGS_ID).set({ data });
    await recordAudit(
      tx,
      by,
      { action: 'campaigns.manage', target: { kind: 'settings', id: DISTRIBUTION_SETTINGS_ID }, summary: `修改分销设置（${req.enabled ? `开启，佣金 ${req.rate}%` : '关闭'}）`, ...(before ? { before: { ...before } } : {}), after: { ...data } },
      now,
    );
    return { settings: data };
  });
}
