/**
 * A promoter's wallet: balances by commission status, the commissions behind them, and withdrawals they
 * ask for and staff decide (paid outside the product, then marked paid here; or refused).
 */
import { pageOf, readIfExists, type Database } from '../../server/database';
import type { AdminPromoterRow, AdminWithdrawalRow, CommissionView, decideWithdrawalRequest, getWalletRequest, GetWalletResponse, listPromotersRequest, ListPromotersResponse, listWithdrawalsRequest, ListWithdrawalsResponse, WalletTotals, WithdrawalView } from '../contracts/distribution';
import { MIN_WITHDRAWAL } from '../contracts/distribution';
import type * as z from '../contracts/schema';
import { DomainError } from '../errors';
import { recordAudit, type StaffRef } from '../staff/audit';
import { defaultNickname, USERS } from '../users/profile';
import { newId } from '../catalog/admin';
import { COMMISSIONS, PROMOTERS, WITHDRAWALS, type Commission, type CommissionStatus, type Promoter, type Withdrawal } from './model';

/** Commissions one withdrawal takes at most (a transaction writes each): the oldest first; the rest wait for the next. */
export const MAX_WITHDRAWAL_COMMISSIONS = 100;
/** Withdrawals the wallet page lists: the newest. */
const LISTED_WITHDRAWALS = 20;

const commissionView = ({ _id, referrer: _r, buyer: _b, withdrawalId: _w, clawedBack: _c, clawbackWithdrawalId: _s, ...c }: Commission): CommissionView => ({ orderId: _id, ...c });

export const withdrawalView = ({ _id, openid: _o, commissionIds, clawbackIds: _c, decidedBy: _d, ...w }: Withdrawal): WithdrawalView => ({ id: _id, commissionCount: commissionIds.length, ...w });

/**
 * The balances: the sum of each status, less what refunds took back after a payout (`clawedBack`, not yet
 * settled by a withdrawal). One aggregate on `referrer_status`.
 */
async function totalsOf(db: Database, openid: string): Promise<WalletTotals & { owed: number }> {
  const $ = db.command.aggregate;
  const { list } = await db
    .collection(COMMISSIONS)
    .aggregate()
    .match({ referrer: openid })
    .group({ _id: { status: '$status', clawedBack: '$clawedBack', settled: '$clawbackWithdrawalId' }, amount: $.sum('$amount') })
    .end();
  const sum: Partial<Record<CommissionStatus, number>> = {};
  let owed = 0;
  for (const row of list as unknown as Array<{ _id: { status: CommissionStatus; clawedBack?: boolean; settled?: string }; amount: number }>) {
    if (row._id.status === 'reversed') {
      if (row._id.clawedBack && !row._id.settled) owed += row.amount;
      continue;
    }
    sum[row._id.status] = (sum[row._id.status] ?? 0) + row.amount;
  }
  return { pending: sum.pending ?? 0, available: Math.max(0, (sum.available ?? 0) - owed), requested: sum.requested ?? 0, withdrawn: sum.withdrawn ?? 0, owed };
}

/** The promoter's wallet: totals, a page of commissions (newest first, `referrer_paidAt`) and the latest withdrawals. Three requests at once. */
export async function getWallet(db: Database, openid: string, req: z.output<typeof getWalletRequest>): Promise<GetWalletResponse> {
  const [{ owed: _owed, ...totals }, { items, page, hasMore }, { data: withdrawals }] = await Promise.all([
    totalsOf(db, openid),
    pageOf(db.collection<Commission>(COMMISSIONS).where({ referrer: openid }).orderBy('paidAt', 'desc').orderBy('_id', 'desc'), req),
    db.collection<Withdrawal>(WITHDRAWALS).where({ openid }).orderBy('requestedAt', 'desc').limit(LISTED_WITHDRAWALS).get(),
  ]);
  return { totals, commissions: items.map(commissionView), page, hasMore, withdrawals: withdrawals.map(withdrawalView) };
}

/**
 * Asks for everything withdrawable now (the oldest `MAX_WITHDRAWAL_COMMISSIONS`), less what refunds took
 * back after earlier payouts. One transaction, locked on the promoter's document so two requests of theirs
 * queue: each commission re-read available and marked requested, each clawback marked settled, the request
 * written. Refused below `MIN_WITHDRAWAL`, or while another request waits for staff.
 */
export async function requestWithdrawal(db: Database, openid: string, now: Date): Promise<{ withdrawal: WithdrawalView }> {
  const commissions = db.collection<Commission>(COMMISSIONS);
  const [{ data: available }, { data: clawbacks }, { data: waiting }] = await Promise.all([
    commissions.where({ referrer: openid, status: 'available' }).orderBy('paidAt', 'asc').limit(MAX_WITHDRAWAL_COMMISSIONS).field({ amount: true }).get(),
    commissions.where({ referrer: openid, status: 'reversed', clawedBack: true, clawbackWithdrawalId: '' }).limit(MAX_WITHDRAWAL_COMMISSIONS).field({ amount: true }).get(),
    db.collection<Withdrawal>(WITHDRAWALS).where({ openid, status: 'requested' }).limit(1).field({ _id: true }).get(),
  ]);
  if (waiting.length) throw new DomainError('CONFLICT', '上一笔提现正在处理中，请处理完成后再申请');
  const amount = available.reduce((s, c) => s + c.amount, 0) - clawbacks.reduce((s, c) => s + c.amount, 0);
  if (amount < MIN_WITHDRAWAL) throw new DomainError('CONFLICT', `可提现金额满 ${MIN_WITHDRAWAL / 100} 元才能申请提现`);
  const id = newId('withdrawal');
  const withdrawal: Withdrawal = { _id: id, openid, amount, commissionIds: available.map((c) => c._id), clawbackIds: clawbacks.map((c) => c._id), status: 'requested', requestedAt: now };
  await db.runTransaction(async (tx) => {
    if (!(await readIfExists(tx, PROMOTERS, openid))) throw new DomainError('NOT_FOUND', '你还不是推广员');
    for (const c of available) {
      const current = await readIfExists<Omit<Commission, '_id'>>(tx, COMMISSIONS, c._id);
      if (current?.status !== 'available') throw new DomainError('CONFLICT', '佣金状态已变化，请刷新后再试');
      await tx.collection(COMMISSIONS).doc(c._id).update({ data: { status: 'requested', withdrawalId: id } });
    }
    for (const c of clawbacks) await tx.collection(COMMISSIONS).doc(c._id).update({ data: { clawbackWithdrawalId: id } });
    const { _id, ...data } = withdrawal;
    await tx.collection<Omit<Withdrawal, '_id'>>(WITHDRAWALS).doc(id).set({ data });
  });
  return { withdrawal: withdrawalView(withdrawal) };
}

async function rowsOf(db: Database, withdrawals: Withdrawal[]): Promise<AdminWithdrawalRow[]> {
  const openids = [...new Set(withdrawals.map((w) => w.openid))];
  const { data } = openids.length
    ? await db.collection<{ _id: string; nickname?: string }>(USERS).where({ _id: db.command.in(openids) }).field({ nickname: true }).limit(openids.length).get()
    : { data: [] };
  const names = new Map(data.map((u) => [u._id, u.nickname]));
  return withdrawals.map((w) => ({ ...withdrawalView(w), openid: w.openid, nickname: names.get(w.openid) || defaultNickname(w.openid) }));
}

/** Withdrawal requests of one status, oldest first (`status_requestedAt`), with the promoters' nicknames: two requests. */
export async function listWithdrawals(db: Database, req: z.output<typeof listWithdrawalsRequest>): Promise<ListWithdrawalsResponse> {
  const { items, page, hasMore } = await pageOf(db.collection<Withdrawal>(WITHDRAWALS).where({ status: req.status }).orderBy('requestedAt', 'asc').orderBy('_id', 'asc'), req);
  return { withdrawals: await rowsOf(db, items), page, hasMore };
}

/**
 * Staff mark a request paid (after transferring the money outside the product) or refuse it, audited, in one
 * transaction: its commissions withdrawn, or available again (and its clawbacks unsettled); a commission a
 * refund reversed meanwhile stays reversed (clawed back when paid, nothing owed when refused).
 */
export async function decideWithdrawal(db: Database, by: StaffRef, req: z.output<typeof decideWithdrawalRequest>, now: Date) {
  const decided = await db.runTransaction(async (tx) => {
    const stored = await readIfExists<Omit<Withdrawal, '_id'>>(tx, WITHDRAWALS, req.withdrawalId);
    if (!stored) throw new DomainError('NOT_FOUND', '提现申请不存在');
    if (stored.status !== 'requested') throw new DomainError('CONFLICT', '这笔提现已处理');
    for (const id of stored.commissionIds) {
      const c = await readIfExists<Omit<Commission, '_id'>>(tx, COMMISSIONS, id);
      if (c?.status === 'requested') await tx.collection(COMMISSIONS).doc(id).update({ data: req.paid ? { status: 'withdrawn' } : { status: 'available' } });
      else if (c?.status === 'reversed' && !req.paid && c.clawedBack) await tx.collection(COMMISSIONS).doc(id).update({ data: { clawedBack: false } });
    }
    // Refused: what refunds took back is owed still, by the next request.
    if (!req.paid) for (const id of stored.clawbackIds) await tx.collection(COMMISSIONS).doc(id).update({ data: { clawbackWithdrawalId: '' } });
    const withdrawal: Withdrawal = { ...stored, _id: req.withdrawalId, status: req.paid ? 'paid' : 'rejected', decidedAt: now, decidedBy: by.uid, note: req.note };
    const { _id, ...data } = withdrawal;
    await tx.collection<Omit<Withdrawal, '_id'>>(WITHDRAWALS).doc(_id).set({ data });
    await recordAudit(
      tx,
      by,
      { action: 'withdrawals.review', target: { kind: 'withdrawal', id: _id }, summary: `${req.paid ? '提现已打款' : '拒绝提现'} ${(stored.amount / 100).toFixed(2)} 元：${req.note}`, before: { status: stored.status }, after: { status: withdrawal.status, note: req.note } },
      now,
    );
    return withdrawal;
  });
  const [row] = await rowsOf(db, [decided]);
  return { withdrawal: row! };
}

/**
 * Promoters for the console, newest first (`joinedAt`), with what each earned by commission status (one
 * aggregate over the page's promoters) and their nicknames: three requests.
 */
export async function listPromoters(db: Database, req: z.output<typeof listPromotersRequest>): Promise<ListPromotersResponse> {
  const _ = db.command;
  const { items, page, hasMore } = await pageOf(db.collection<Promoter>(PROMOTERS).where({ joinedAt: _.exists(true) }).orderBy('joinedAt', 'desc').orderBy('_id', 'desc'), req);
  const openids = items.map((p) => p._id);
  if (!openids.length) return { promoters: [], page, hasMore };
  const [{ list }, { data: users }] = await Promise.all([
    db
      .collection(COMMISSIONS)
      .aggregate()
      .match({ referrer: _.in(openids) })
      .group({ _id: { referrer: '$referrer', status: '$status' }, amount: _.aggregate.sum('$amount'), n: _.aggregate.sum(1) })
      .end(),
    db.collection<{ _id: string; nickname?: string }>(USERS).where({ _id: _.in(openids) }).field({ nickname: true }).limit(openids.length).get(),
  ]);
  const names = new Map(users.map((u) => [u._id, u.nickname]));
  const rows = list as unknown as Array<{ _id: { referrer: string; status: CommissionStatus }; amount: number; n: number }>;
  const promoters = items.map((p): AdminPromoterRow => {
    const mine = rows.filter((r) => r._id.referrer === p._id);
    const sum = (status: CommissionStatus) => mine.filter((r) => r._id.status === status).reduce((s, r) => s + r.amount, 0);
    return {
      openid: p._id,
      nickname: names.get(p._id) || defaultNickname(p._id),
      code: p.code,
      joinedAt: p.joinedAt!,
      orders: mine.reduce((s, r) => s + r.n, 0),
      totals: { pending: sum('pending'), available: sum('available'), requested: sum('requested'), withdrawn: sum('withdrawn'), reversed: sum('reversed') },
    };
  });
  return { promoters, page, hasMore };
}
