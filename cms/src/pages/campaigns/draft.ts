/**
 * The campaign form's working copy: what the creator edits (amounts in fen from YuanInput, a discount in 折,
 * the validity as a choice), turned into saveCouponCampaign's request and back. Pure functions.
 */
import type { CampaignView } from '@domain/contracts/coupons';
import type { CouponKind } from '@domain/coupons/model';

export interface CampaignDraft {
  campaignId?: string;
  title: string;
  kind: CouponKind;
  amountOff?: number;
  /** 折 as creators say it (8.5 = 15% off) */
  zhe?: number;
  capAmount?: number;
  minAmount?: number;
  scope: 'school' | 'courses';
  courseIds: string[];
  newLearnersOnly: boolean;
  validity: 'window' | 'days';
  /** timestamps: the window, or (with days after claiming) when claims open and close, which may be left empty */
  range: number[];
  validDays?: number;
  totalStock?: number;
  perLearnerLimit?: number;
  returnOnRefund: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A new campaign: from now for 30 days, one per learner. */
export const emptyCampaign = (now = Date.now()): CampaignDraft => ({
  title: '',
  kind: 'amount',
  scope: 'school',
  courseIds: [],
  newLearnersOnly: false,
  validity: 'window',
  range: [now, now + 30 * DAY_MS],
  validDays: 7,
  totalStock: 100,
  perLearnerLimit: 1,
  returnOnRefund: false,
});

export function draftOf(c: CampaignView): CampaignDraft {
  const rule = c.rule;
  const range = c.validFrom && c.validUntil ? [new Date(c.validFrom).getTime(), new Date(c.validUntil).getTime()] : [];
  return {
    campaignId: c.id,
    title: c.title,
    kind: rule.kind,
    amountOff: rule.kind === 'percent' ? undefined : rule.amountOff,
    zhe: rule.kind === 'percent' ? (100 - rule.percentOff) / 10 : undefined,
    capAmount: rule.kind === 'percent' ? rule.capAmount : undefined,
    minAmount: rule.kind === 'threshold' ? rule.minAmount : undefined,
    scope: c.scope === 'school' ? 'school' : 'courses',
    courseIds: c.scope === 'school' ? [] : [...c.scope.courseIds],
    newLearnersOnly: c.newLearnersOnly,
    validity: c.validDays === undefined ? 'window' : 'days',
    range,
    validDays: c.validDays,
    totalStock: c.totalStock,
    perLearnerLimit: c.perLearnerLimit,
    returnOnRefund: c.returnOnRefund ?? false,
  };
}

/** The request as the contract takes it; the schema then says what is wrong, field by field. */
export function campaignRequest(d: CampaignDraft) {
  const rule =
    d.kind === 'amount'
      ? { kind: d.kind, amountOff: d.amountOff }
      : d.kind === 'percent'
        ? { kind: d.kind, percentOff: d.zhe === undefined ? undefined : Math.round(100 - d.zhe * 10), capAmount: d.capAmount }
        : { kind: d.kind, minAmount: d.minAmount, amountOff: d.amountOff };
  const [from, until] = d.range;
  const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());
  return {
    ...(d.campaignId ? { campaignId: d.campaignId } : {}),
    title: d.title,
    rule,
    scope: d.scope === 'school' ? ('school' as const) : { courseIds: d.courseIds },
    newLearnersOnly: d.newLearnersOnly,
    validFrom: iso(from),
    validUntil: iso(until),
    ...(d.validity === 'days' ? { validDays: d.validDays } : {}),
    totalStock: d.totalStock,
    perLearnerLimit: d.perLearnerLimit,
    returnOnRefund: d.returnOnRefund,
  };
}
