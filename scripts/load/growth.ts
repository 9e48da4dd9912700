/**
 * Issue 12's growth traffic in the load test, through the gateway and the console's API as the product
 * sees it:
 * - before the learners start (`setUpGrowth`): the owner turns distribution on, a few learners join as
 *   promoters, a share of the others bind to a promoter's code (their purchases earn commissions), and a
 *   coupon campaign with less stock than the learners who want it is raced for: all claim at once, some
 *   twice; the winners then buy with their coupon (learner.ts).
 * - after them (`runGroups`): leaders open a group on each course with a group-buy and pay, then more
 *   learners than seats race for the seats left (every order first, then every payment at once); the
 *   payments that find no seat are refunded by the product itself, and the sandbox completes those refunds
 *   (`completeAutomaticRefunds`).
 * The ledger checks of all this are in growth-ledger.ts.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Agent } from 'node:http';
import { join } from 'node:path';
import type { ClaimCouponResponse, SaveCouponCampaignResponse } from '../../domain/contracts/coupons';
import type { BindReferrerResponse, GetPromoterProfileResponse } from '../../domain/contracts/distribution';
import type { CreateOrderResponse } from '../../domain/contracts/orders';
import type { Reply } from '../../domain/contracts/result';
import type { EmulatorClient, PayRefund } from '../bench/client';
import { DELIVERIES_PER_PAYMENT, type LearnerPlan } from './learner';

export interface GrowthOptions {
  /** learners who join as promoters (the last of the learners; they buy too, bound to nobody) */
  promoters: number;
  /** share of the other learners bound to a promoter before buying; as many group members are bound too */
  referredShare: number;
  /** share of the learners who race for the campaign's coupon */
  couponShare: number;
  /** the campaign's stock as a share of those learners: below 1, some lose the race */
  stockShare: number;
  /** groups opened, over the demo's courses with a group-buy in turn */
  groups: number;
  /** learners racing for each seat left once the leader paid: above 1, some pay and find no seat */
  racersPerSeat: number;
  /** more groups whose leader pays and nobody joins: left open, granting nothing */
  openGroups: number;
  /** the school's commission rate, % */
  rate: number;
}

/** What `npm run load` does unless told otherwise: at 1,000 learners, 10 promoters, 300 bound, 200 racing for 100 coupons, 20 groups. */
export function defaultGrowth(learners: number): GrowthOptions {
  return {
    promoters: Math.max(2, Math.round(learners / 100)),
    referredShare: 0.3,
    couponShare: 0.2,
    stockShare: 0.5,
    groups: Math.max(2, Math.round(learners / 50)),
    racersPerSeat: 2,
    openGroups: 1,
    rate: 20,
  };
}

/** A coupon everyone may use on any course: 3 yuan off. */
export const COUPON_AMOUNT_OFF = 300;
/** One claim each is allowed; every `DOUBLE_CLAIM_EVERY`-th learner racing for a coupon claims twice at once. */
const PER_LEARNER_LIMIT = 1;
const DOUBLE_CLAIM_EVERY = 4;
const OWNER = { username: 'owner', password: 'owner-demo-pass' };

export interface GroupCourse {
  id: string;
  size: number;
  amount: number;
}

/** The published courses of the demo school with a group-buy (`database/demo/courses.jsonl`). */
export function demoGroupCourses(root: string): GroupCourse[] {
  return readFileSync(join(root, 'database/demo/courses.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { _id: string; status: string; price: { groupBuy?: { amount: number; size: number } } })
    .filter((c) => c.status === 'published' && c.price.groupBuy)
    .map((c) => ({ id: c._id, size: c.price.groupBuy!.size, amount: c.price.groupBuy!.amount }));
}

export interface GroupPlan {
  course: GroupCourse;
  leader: string;
  /** more than the seats left */
  racers: string[];
}

/** Who did what in the growth phase: what the ledger checks need to know (growth-ledger.ts). */
export interface GrowthPlan {
  rate: number;
  campaignId: string;
  /** promoter openid -> their code */
  promoters: Record<string, string>;
  /** buyer openid -> the promoter they were bound to */
  referrerOf: Record<string, string>;
  /** every leader and racer of every group */
  groupMembers: string[];
}

/**
 * The learners' growth roles, from the end of the list (the first learners stay plain buyers): the last
 * `promoters` promote; before them, `referredShare` of the others are bound, and `couponShare` race for the
 * coupon, starting three quarters through the bound ones (so some learners are both, some either).
 */
export function assignGrowthRoles(plans: LearnerPlan[], o: GrowthOptions): void {
  const promoters = Math.min(o.promoters, plans.length - 1);
  for (const plan of plans.slice(plans.length - promoters)) plan.growth = { promoter: true };
  const others = plans.slice(0, plans.length - promoters).reverse();
  const referred = Math.round(others.length * o.referredShare);
  const wanters = Math.round(others.length * o.couponShare);
  // A quarter of the bound learners race for the coupon too; most of the racers are bound to nobody.
  const couponFrom = Math.floor((referred * 3) / 4);
  others.forEach((plan, i) => {
    const isReferred = i < referred;
    const wantsCoupon = i >= couponFrom && i < couponFrom + wanters;
    if (isReferred || wantsCoupon) plan.growth = { ...(isReferred ? { referred: true } : {}), ...(wantsCoupon ? { wantsCoupon: true } : {}) };
  });
}

/**
 * Groups over the demo's group-buy courses in turn, each with a leader and `racersPerSeat` learners per seat
 * left; then `openGroups` with a leader only.
 */
export function planGroups(runId: string, o: GrowthOptions, courses: GroupCourse[]): GroupPlan[] {
  const total = o.groups + o.openGroups;
  if (total > 0 && !courses.length) throw new Error('the demo school has no course with a group-buy');
  return Array.from({ length: total }, (_, g) => {
    const course = courses[g % courses.length]!;
    const racers = g >= o.groups ? 0 : Math.max(course.size, Math.ceil((course.size - 1) * o.racersPerSeat));
    return { course, leader: `o-load-${runId}-g${g}-0`, racers: Array.from({ length: racers }, (_, r) => `o-load-${runId}-g${g}-${r + 1}`) };
  });
}

/** A failure of one learner's growth call, with why. */
export interface GrowthFailure {
  openid: string;
  error: string;
}

export interface ClaimFigures {
  stock: number;
  /** learners racing for it, and their claims (some claim twice at once) */
  learners: number;
  claims: number;
  won: number;
  /** refused: out of stock */
  soldOut: number;
  /** refused: the learner holds their limit already */
  overLimit: number;
  /** refused: too many at once, try again (the claim's transaction ran out of retries) */
  busy: number;
  /** DB requests of each claim that won */
  dbRequestsWon: number[];
}

export interface GrowthSetup {
  plan: Omit<GrowthPlan, 'groupMembers'>;
  /** buyer openid -> the coupon they won */
  couponOf: Map<string, string>;
  claims: ClaimFigures;
  failures: GrowthFailure[];
}

const replyOf = <T>(body: { result?: unknown }) => body.result as Reply<T>;

/**
 * Distribution on, promoters, bindings and the coupon race, before any learner buys. `groupMembers` are
 * bound too (`referredShare` of them, every other one). Fails at once on what the run cannot do without
 * (the owner's settings, a promoter); a learner's binding or claim that fails is a failure of theirs.
 */
export async function setUpGrowth(client: EmulatorClient, agent: Agent, plans: LearnerPlan[], groups: GroupPlan[], o: GrowthOptions): Promise<GrowthSetup> {
  const failures: GrowthFailure[] = [];
  const token = await client.signIn(OWNER.username, OWNER.password);
  await client.callAsStaff(token, 'saveDistributionSettings', { enabled: true, promoterRule: 'anyone', rate: o.rate, courseRates: [], bindDays: 30 });

  const promoterPlans = plans.filter((p) => p.growth?.promoter);
  const promoters: Record<string, string> = {};
  for (const p of promoterPlans) {
    const { profile } = (await client.callOk<GetPromoterProfileResponse>('joinPromoters', p.openid, {}, agent)).data;
    if (!profile.promoter || !profile.code) throw new Error(`joinPromoters left ${p.openid} without a code: ${JSON.stringify(profile)}`);
    promoters[p.openid] = profile.code;
  }
  const promoterIds = Object.keys(promoters);

  // Bindings: the referred learners, then every other group member (leaders included), over the promoters in turn.
  const members = groups.flatMap((g) => [g.leader, ...g.racers]);
  const boundMembers = members.filter((_, i) => Math.floor((i + 1) * o.referredShare) > Math.floor(i * o.referredShare));
  const bound = [...plans.filter((p) => p.growth?.referred).map((p) => p.openid), ...boundMembers];
  const referrerOf: Record<string, string> = {};
  if (promoterIds.length) {
    bound.forEach((openid, i) => (referrerOf[openid] = promoterIds[i % promoterIds.length]!));
  }
  await Promise.all(
    Object.entries(referrerOf).map(async ([openid, referrer]) => {
      try {
        const { outcome } = (await client.callOk<BindReferrerResponse>('bindReferrer', openid, { code: promoters[referrer]! }, agent)).data;
        if (outcome !== 'bound') throw new Error(`bindReferrer answered ${outcome}`);
      } catch (e) {
        failures.push({ openid, error: (e as Error).message });
      }
    }),
  );

  const wanters = plans.filter((p) => p.growth?.wantsCoupon);
  const stock = Math.max(1, Math.round(wanters.length * o.stockShare));
  const hour = 3_600_000;
  const { campaign } = (
    await client.callAsStaff<SaveCouponCampaignResponse>(token, 'saveCouponCampaign', {
      title: '压测立减券',
      rule: { kind: 'amount', amountOff: COUPON_AMOUNT_OFF },
      scope: 'school',
      validFrom: new Date(Date.now() - hour).toISOString(),
      validUntil: new Date(Date.now() + 30 * 24 * hour).toISOString(),
      totalStock: stock,
      perLearnerLimit: PER_LEARNER_LIMIT,
    })
  ).data;

  // The race: every claim at once.
  const claims: ClaimFigures = { stock, learners: wanters.length, claims: 0, won: 0, soldOut: 0, overLimit: 0, busy: 0, dbRequestsWon: [] };
  const couponOf = new Map<string, string>();
  const taps = wanters.flatMap((p, i) => Array.from({ length: i % DOUBLE_CLAIM_EVERY === 0 ? 2 : 1 }, () => p.openid));
  claims.claims = taps.length;
  await Promise.all(
    taps.map(async (openid) => {
      try {
        const call = await client.callFunction('claimCoupon', openid, { campaignId: campaign.id }, agent);
        const reply = replyOf<ClaimCouponResponse>(call.body);
        if (reply.ok) {
          claims.won++;
          claims.dbRequestsWon.push(call.dbRequests);
          if (!couponOf.has(openid)) couponOf.set(openid, reply.data.coupon.id);
        } else if (reply.message.includes('领完')) claims.soldOut++;
        else if (reply.message.includes('限领')) claims.overLimit++;
        else if (reply.message.includes('太多')) claims.busy++;
        else throw new Error(`claimCoupon answered ${reply.code}: ${reply.message}`);
      } catch (e) {
        failures.push({ openid, error: (e as Error).message });
      }
    }),
  );
  return { plan: { rate: o.rate, campaignId: campaign.id, promoters, referrerOf }, couponOf, claims, failures };
}

/** One group order as placed and paid. */
export interface GroupOrder {
  openid: string;
  orderId: string;
  groupId: string;
  leader: boolean;
}

export interface GroupTraffic {
  orders: GroupOrder[];
  /** racers whose createOrder already found the group full (they paid nothing) */
  refusedAtOrder: number;
  /** DB requests of the createOrder calls of racers */
  createOrderDbRequests: number[];
  failures: GrowthFailure[];
}

/**
 * Leaders open their groups (every leader at once, each ordering then paying), then every racer orders a
 * seat at once, then every racer who got an order pays at once: the payments race for the seats in their
 * transactions, and those that find none are refunded by the product.
 */
export async function runGroups(client: EmulatorClient, agent: Agent, groups: GroupPlan[]): Promise<GroupTraffic> {
  const failures: GrowthFailure[] = [];
  const traffic: GroupTraffic = { orders: [], refusedAtOrder: 0, createOrderDbRequests: [], failures };
  const order = async (openid: string, data: Record<string, unknown>) => {
    const call = await client.callFunction('createOrder', openid, { clientRequestKey: randomUUID(), ...data }, agent);
    return { reply: replyOf<CreateOrderResponse>(call.body), dbRequests: call.dbRequests };
  };
  const pay = async (openid: string, payment: CreateOrderResponse['payment']) => {
    if (payment?.provider !== 'cloudPay') throw new Error(`createOrder answered no cloud pay payment: ${JSON.stringify(payment)}`);
    const paid = await client.requestPayment(openid, { ...payment.params }, { duplicates: DELIVERIES_PER_PAYMENT - 1 }, agent);
    if (paid.errMsg !== 'requestPayment:ok') throw new Error(`wx.requestPayment: ${paid.errMsg}`);
  };

  const opened = await Promise.all(
    groups.map(async (g) => {
      try {
        const { reply } = await order(g.leader, { courseId: g.course.id, startGroup: true });
        if (!reply.ok) throw new Error(`createOrder (startGroup) answered ${reply.code}: ${reply.message}`);
        const groupId = reply.data.order.group!.id;
        await pay(g.leader, reply.data.payment);
        traffic.orders.push({ openid: g.leader, orderId: reply.data.order.id, groupId, leader: true });
        return { g, groupId };
      } catch (e) {
        failures.push({ openid: g.leader, error: (e as Error).message });
        return undefined;
      }
    }),
  );
  const seats = (
    await Promise.all(
      opened.flatMap((o) =>
        o
          ? o.g.racers.map(async (openid) => {
              try {
                const { reply, dbRequests } = await order(openid, { courseId: o.g.course.id, groupId: o.groupId });
                if (!reply.ok) {
                  if (reply.code !== 'CONFLICT') throw new Error(`createOrder (groupId) answered ${reply.code}: ${reply.message}`);
                  traffic.refusedAtOrder++;
                  return undefined;
                }
                traffic.createOrderDbRequests.push(dbRequests);
                return { openid, groupId: o.groupId, orderId: reply.data.order.id, payment: reply.data.payment };
              } catch (e) {
                failures.push({ openid, error: (e as Error).message });
                return undefined;
              }
            })
          : [],
      ),
    )
  ).filter((s) => s !== undefined);
  await Promise.all(
    seats.map(async (s) => {
      try {
        await pay(s.openid, s.payment);
        traffic.orders.push({ openid: s.openid, orderId: s.orderId, groupId: s.groupId, leader: false });
      } catch (e) {
        failures.push({ openid: s.openid, error: (e as Error).message });
      }
    }),
  );
  return traffic;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The refunds the product started on its own for these orders (payments that found no seat): cloud pay
 * completes each (what the sandbox waits for, cloud.config.json sets no `refundAutoCompleteMs`), then this
 * waits until refundNotify acknowledged every notification, or the deadline. Answers the refunds completed.
 */
export async function completeAutomaticRefunds(client: EmulatorClient, orderIds: Set<string>, deadline: number): Promise<PayRefund[]> {
  const processing = (await client.payLedger()).refunds.filter((r) => orderIds.has(r.outTradeNo) && r.status === 'PROCESSING');
  await Promise.all(processing.map((r) => client.completeRefund(r.outRefundNo)));
  const refundNos = new Set(processing.map((r) => r.outRefundNo));
  for (;;) {
    const deliveries = (await client.payLedger()).deliveries.filter((d) => d.kind === 'refund' && refundNos.has(d.key));
    if ((deliveries.length >= refundNos.size && deliveries.every((d) => d.status !== 'pending')) || Date.now() > deadline) return processing;
    await sleep(100);
  }
}
