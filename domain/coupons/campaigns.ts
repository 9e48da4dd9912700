/**
 * Coupon campaigns in the creator console (staff with `campaigns.manage`): listed, created, edited, paused
 * and resumed; every change audited in its own transaction. Edits change what later claims get: a coupon
 * already claimed keeps the rule it was claimed under.
 */
import { pageOf, readIfExists, type Database } from '../../server/database';
import { newId, withoutId } from '../catalog/admin';
import { COURSES } from '../catalog/courses';
import type {
  CampaignView,
  listCouponCampaignsRequest,
  ListCouponCampaignsResponse,
  saveCouponCampaignRequest,
  SaveCouponCampaignResponse,
  setCouponCampaignStatusRequest,
  SetCouponCampaignStatusResponse,
} from '../contracts/coupons';
import type * as z from '../contracts/schema';
import { DomainError } from '../errors';
import { recordAudit, type StaffRef } from '../staff/audit';
import { CAMPAIGNS, type Campaign } from './model';

type Stored = Omit<Campaign, '_id'>;

export const campaignView = ({ _id, ...campaign }: Campaign): CampaignView => ({ id: _id, ...campaign });

/** Campaigns (of one status), newest first: one request (`status_createdAt` or `createdAt`). */
export async function listCouponCampaigns(db: Database, req: z.output<typeof listCouponCampaignsRequest>): Promise<ListCouponCampaignsResponse> {
  const query = db
    .collection<Campaign>(CAMPAIGNS)
    .where(req.status ? { status: req.status } : {})
    .orderBy('createdAt', 'desc')
    .orderBy('_id', 'desc');
  const { items, page, hasMore } = await pageOf(query, req);
  return { campaigns: items.map(campaignView), page, hasMore };
}

/**
 * Creates or changes a campaign, audited in the same transaction. `claimed` is the claims' counter and is
 * kept; the stock may not fall below it (read in the transaction, so a claim cannot slip in between).
 *
 * Requests: the scoped courses (when scoped); a transaction: begin, the campaign (when edited), the write,
 * the audit entry, commit.
 */
export async function saveCouponCampaign(db: Database, by: StaffRef, req: z.output<typeof saveCouponCampaignRequest>, now: Date): Promise<SaveCouponCampaignResponse> {
  const { campaignId, ...fields } = req;
  if (fields.scope !== 'school') {
    const ids = fields.scope.courseIds;
    const found = (await db.collection(COURSES).where({ _id: db.command.in(ids) }).field({ _id: true }).limit(ids.length).get()).data;
    if (found.length !== ids.length) throw new DomainError('NOT_FOUND', '适用的课程不存在');
  }
  const id = campaignId ?? newId('coupon');
  return db.runTransaction(async (tx) => {
    const before = campaignId ? await readIfExists<Stored>(tx, CAMPAIGNS, id) : null;
    if (campaignId && !before) throw new DomainError('NOT_FOUND', '优惠券活动不存在');
    const claimed = before?.claimed ?? 0;
    if (fields.totalStock < claimed) throw new DomainError('INVALID_INPUT', `发放总量不能少于已领取的 ${claimed} 张`);
    // Absent validity fields are left out, not stored as undefined: switching between a window and days after
    // claiming drops the other.
    const after = Object.fromEntries(
      Object.entries({ ...fields, status: fields.status ?? before?.status ?? 'active', claimed, createdAt: before?.createdAt ?? now, updatedAt: now }).filter(([, v]) => v !== undefined),
    ) as unknown as Stored;
    await tx.collection<Stored>(CAMPAIGNS).doc(id).set({ data: after });
    await recordAudit(
      tx,
      by,
      {
        action: 'campaigns.manage',
        target: { kind: 'coupon', id },
        summary: `${before ? '修改' : '创建'}优惠券「${after.title}」`,
        ...(before ? { before: withoutId(before) } : {}),
        after: { ...after },
      },
      now,
    );
    return { campaign: campaignView({ _id: id, ...after }), existed: before !== null };
  });
}

/** Pauses or resumes claims of a campaign, audited; a campaign already so answers unchanged, with no entry. */
export async function setCouponCampaignStatus(db: Database, by: StaffRef, req: z.output<typeof setCouponCampaignStatusRequest>, now: Date): Promise<SetCouponCampaignStatusResponse> {
  return db.runTransaction(async (tx) => {
    const campaign = await readIfExists<Stored>(tx, CAMPAIGNS, req.campaignId);
    if (!campaign) throw new DomainError('NOT_FOUND', '优惠券活动不存在');
    if (campaign.status === req.status) return { campaign: campaignView(campaign) };
    const after: Stored = { ...campaign, status: req.status, updatedAt: now };
    await tx.collection<Stored>(CAMPAIGNS).doc(req.campaignId).update({ data: { status: req.status, updatedAt: now } });
    await recordAudit(
      tx,
      by,
      {
        action: 'campaigns.manage',
        target: { kind: 'coupon', id: req.campaignId },
        summary: `${req.status === 'paused' ? '暂停' : '恢复'}发放优惠券「${campaign.title}」`,
        before: { status: campaign.status },
        after: { status: req.status },
      },
      now,
    );
    return { campaign: campaignView({ _id: req.campaignId, ...after }) };
  });
}
