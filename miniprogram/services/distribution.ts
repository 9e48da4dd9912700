/** One typed call per distribution (分销) cloud function a learner uses. */
import type {
  BindReferrerRequest,
  BindReferrerResponse,
  GetPromoterProfileResponse,
  GetShareCodeRequest,
  GetShareCodeResponse,
  GetWalletRequest,
  GetWalletResponse,
  JoinPromotersResponse,
  RequestWithdrawalResponse,
} from '../../domain/contracts/distribution';
import { callFunction, type Jsonified } from './cloud';

export type PromoterProfile = Jsonified<GetPromoterProfileResponse>['profile'];
export type Wallet = Jsonified<GetWalletResponse>;
export type Commission = Wallet['commissions'][number];
export type Withdrawal = Wallet['withdrawals'][number];
export type ShareCode = Jsonified<GetShareCodeResponse>;

/** Whether the learner promotes (and the code their shares carry), or may become a promoter, and why not. */
export async function getPromoterProfile(): Promise<PromoterProfile> {
  return (await callFunction<Record<string, never>, GetPromoterProfileResponse>('getPromoterProfile', {})).profile;
}

/** Kept on the app: read once per launch, shared by every page's share card. */
type AppWithShareCode = { shareCode?: Promise<string> };

/** The code the learner's shares carry ('' when they promote nothing), read once per launch; a failure is asked again next time. */
export function myShareCode(): Promise<string> {
  const app = getApp<AppWithShareCode>();
  app.shareCode ??= getPromoterProfile().then(
    (profile) => profile.code ?? '',
    (e: unknown) => {
      app.shareCode = undefined;
      throw e;
    },
  );
  return app.shareCode;
}

/** The learner becomes a promoter under the school's rule (refused with the reason otherwise); their shares carry the new code from now on. */
export async function joinPromoters(): Promise<PromoterProfile> {
  const { profile } = await callFunction<Record<string, never>, JoinPromotersResponse>('joinPromoters', {});
  getApp<AppWithShareCode>().shareCode = Promise.resolve(profile.code ?? '');
  return profile;
}

/** The learner opened a share carrying `code`: bound to its sharer unless still bound to another. */
export function bindReferrer(code: string): Promise<Jsonified<BindReferrerResponse>> {
  return callFunction<BindReferrerRequest, BindReferrerResponse>('bindReferrer', { code });
}

/** A mini-program code opening a course's page (or the home page) with the learner's referral, for a poster. */
export function getShareCode(courseId?: string): Promise<ShareCode> {
  return callFunction<GetShareCodeRequest, GetShareCodeResponse>('getShareCode', courseId ? { courseId } : {});
}

/** The promoter's balances, one page of commissions (newest first) and the latest withdrawals. */
export function getWallet(request: GetWalletRequest = {}): Promise<Wallet> {
  return callFunction<GetWalletRequest, GetWalletResponse>('getWallet', request);
}

/** Asks for everything withdrawable now (refused with the reason: below the minimum, one under way...). */
export async function requestWithdrawal(): Promise<Withdrawal> {
  return (await callFunction<Record<string, never>, RequestWithdrawalResponse>('requestWithdrawal', {})).withdrawal;
}
