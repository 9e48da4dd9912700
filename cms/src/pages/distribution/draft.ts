/**
 * The distribution form's working copy: what the creator edits (the course rates as rows with a key each,
 * "不奖励" as a choice of its own), turned into saveDistributionSettings' request and back. Pure functions.
 */
import type { DistributionSettingsView, SaveDistributionSettingsRequest } from '@domain/contracts/distribution';
import { DEFAULT_DISTRIBUTION, type PromoterRule } from '@domain/distribution/model';

/** The reward select's value for "no invitation reward". */
export const NO_REWARD = 'none';

export interface CourseRateDraft {
  key: number;
  courseId?: string;
  rate?: number;
}

export interface DistributionDraft {
  enabled: boolean;
  promoterRule: PromoterRule;
  rate?: number;
  courseRates: CourseRateDraft[];
  bindDays?: number;
  /** a campaign id, or NO_REWARD */
  inviteRewardCampaignId: string;
}

let nextKey = 1;
export const courseRateRow = (courseId?: string, rate?: number): CourseRateDraft => ({ key: nextKey++, courseId, rate });

/** The form for the school's settings (the defaults a school starts with when it has none). */
export function draftOf(settings: Omit<DistributionSettingsView, 'updatedAt'> = DEFAULT_DISTRIBUTION): DistributionDraft {
  return {
    enabled: settings.enabled,
    promoterRule: settings.promoterRule,
    rate: settings.rate,
    courseRates: settings.courseRates.map((r) => courseRateRow(r.courseId, r.rate)),
    bindDays: settings.bindDays,
    inviteRewardCampaignId: settings.inviteRewardCampaignId ?? NO_REWARD,
  };
}

/** The request the form sends; the contract's schema checks it (a field left empty is refused beside it). */
export function settingsRequest(draft: DistributionDraft): SaveDistributionSettingsRequest {
  return {
    enabled: draft.enabled,
    promoterRule: draft.promoterRule,
    rate: draft.rate as number,
    courseRates: draft.courseRates.map((r) => ({ courseId: r.courseId as string, rate: r.rate as number })),
    bindDays: draft.bindDays as number,
    inviteRewardCampaignId: draft.inviteRewardCampaignId === NO_REWARD ? undefined : draft.inviteRewardCampaignId,
  };
}
