/**
 * One simulated learner, through the client gateway exactly as the mini program calls it: browses the
 * catalogue, orders a paid course (a double tap sends the same request key twice at once) and pays it with
 * `wx.requestPayment`, the cloud pay sandbox delivering the payment's callback twice.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Agent } from 'node:http';
import { join } from 'node:path';
import type { CourseDetail, HomeView, ListCoursesResponse } from '../../domain/contracts/catalog';
import type { CreateOrderRequest, CreateOrderResponse } from '../../domain/contracts/orders';
import type { Reply } from '../../domain/contracts/result';
import type { EmulatorClient, GatewayCall } from '../bench/client';
import { msSince } from '../bench/stats';

/** Every payment callback is delivered this many times: the original and one duplicate. */
export const DELIVERIES_PER_PAYMENT = 2;

export interface PaidCourse {
  id: string;
  categoryId: string;
}

export interface LearnerPlan {
  openid: string;
  course: PaidCourse;
  doubleTap: boolean;
  /** the growth phase's roles (growth.ts): a promoter, bound to a promoter before buying, racing for the campaign's coupon */
  growth?: { promoter?: boolean; referred?: boolean; wantsCoupon?: boolean };
}

/** A gateway call as the learner saw it. */
export interface TimedCall {
  name: string;
  latencyMs: number;
  dbRequests: number;
}

export interface Purchase {
  plan: LearnerPlan;
  orderId: string;
  /** fen, as createOrder quoted it */
  amount: number;
  /** every call that succeeded, in order; a double tap's two createOrder calls are both there */
  calls: TimedCall[];
  /** calls tried again after a failure the learner would retry (see `Persistence`) */
  retries: number;
  /** the coupon the order used, when the learner won one (growth.ts) */
  couponId?: string;
}

/**
 * How often a learner taps again after a failure that asks for it: a function that died or timed out
 * (FUNCTIONS_EXECUTE_FAIL), or an answer saying to try later (INTERNAL, PAYMENT_UNAVAILABLE). With
 * `attempts` 1 any failure ends the journey, which is what a load without faults expects.
 */
export interface Persistence {
  attempts: number;
  backoffMs: number;
}

export const GIVE_UP_AT_ONCE: Persistence = { attempts: 1, backoffMs: 0 };

/** A failure the mini program shows with a retry, which a learner on a flaky network taps. */
class RetryableFailure extends Error {}
const RETRYABLE_CODES = new Set(['INTERNAL', 'PAYMENT_UNAVAILABLE']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The published paid courses of the demo school (`database/demo/courses.jsonl`). */
export function demoPaidCourses(root: string): PaidCourse[] {
  return readFileSync(join(root, 'database/demo/courses.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { _id: string; status: string; categoryId: string; price: { amount: number } })
    .filter((c) => c.status === 'published' && c.price.amount > 0)
    .map((c) => ({ id: c._id, categoryId: c.categoryId }));
}

/**
 * Who buys what: learner i takes the i-th paid course in turn; `doubleTapShare` of them (spread evenly)
 * tap "buy" twice.
 */
export function planLearners(runId: string, count: number, courses: PaidCourse[], doubleTapShare: number): LearnerPlan[] {
  if (!courses.length) throw new Error('the demo school has no paid course to buy');
  return Array.from({ length: count }, (_, i) => ({
    openid: `o-load-${runId}-${i}`,
    course: courses[i % courses.length]!,
    doubleTap: Math.floor((i + 1) * doubleTapShare) > Math.floor(i * doubleTapShare),
  }));
}

/** The request the mini program's buy button sends (with the coupon the learner picked, if any); the one place the load test shapes it. */
function createOrderRequest(courseId: string, clientRequestKey: string, couponId?: string): CreateOrderRequest {
  return { courseId, clientRequestKey, ...(couponId ? { couponId } : {}) };
}

function unwrap<T>(name: string, call: GatewayCall): T {
  const reply = call.body.result as Reply<T>;
  if (!reply.ok) {
    const message = `${name} answered ${reply.code}: ${reply.message}`;
    throw RETRYABLE_CODES.has(reply.code) ? new RetryableFailure(message) : new Error(message);
  }
  return reply.data;
}

/** Runs one learner's journey to a paid order; throws with what went wrong. */
export async function purchase(client: EmulatorClient, agent: Agent, plan: LearnerPlan, persistence: Persistence = GIVE_UP_AT_ONCE, couponId?: string): Promise<Purchase> {
  const calls: TimedCall[] = [];
  let retries = 0;
  const callOnce = async <T>(name: string, data: object): Promise<T> => {
    let reply: GatewayCall;
    try {
      reply = await client.callFunction(name, plan.openid, data as Record<string, unknown>, agent);
    } catch (e) {
      // The gateway's errCode: the function died or timed out.
      throw new RetryableFailure((e as Error).message);
    }
    const answer = unwrap<T>(name, reply);
    calls.push({ name, latencyMs: reply.latencyMs, dbRequests: reply.dbRequests });
    return answer;
  };
  const call = async <T>(name: string, data: object): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await callOnce<T>(name, data);
      } catch (e) {
        if (!(e instanceof RetryableFailure) || attempt >= persistence.attempts) throw e;
        retries++;
        await sleep(persistence.backoffMs * attempt);
      }
    }
  };

  await call<HomeView>('getHome', {});
  await call<ListCoursesResponse>('listCourses', { categoryId: plan.course.categoryId });
  const { viewer } = await call<CourseDetail>('getCourse', { courseId: plan.course.id });
  if (viewer.access !== null) throw new Error(`${plan.course.id} is already open to ${plan.openid} (${viewer.access})`);

  const key = randomUUID();
  const taps = await Promise.all(
    Array.from({ length: plan.doubleTap ? 2 : 1 }, () => call<CreateOrderResponse>('createOrder', createOrderRequest(plan.course.id, key, couponId))),
  );
  const { order, payment } = taps[0]!;
  if (taps.some((t) => t.order.id !== order.id)) throw new Error(`one tap made two orders: ${taps.map((t) => t.order.id).join(', ')}`);
  if (couponId && order.coupon?.id !== couponId) throw new Error(`createOrder did not apply coupon ${couponId}: ${JSON.stringify(order.coupon)}`);
  const expected = viewer.quote.amount - (order.coupon?.discount ?? 0);
  if (order.amount !== expected) throw new Error(`createOrder charges ${order.amount} fen, the course page showed ${viewer.quote.amount}${couponId ? ` less the coupon's ${order.coupon!.discount}` : ''}`);
  if (payment?.provider !== 'cloudPay') throw new Error(`createOrder answered no cloud pay payment: ${JSON.stringify(payment)}`);

  const start = process.hrtime.bigint();
  const paid = await client.requestPayment(plan.openid, { ...payment.params }, { duplicates: DELIVERIES_PER_PAYMENT - 1 }, agent);
  calls.push({ name: 'wx.requestPayment', latencyMs: msSince(start), dbRequests: 0 });
  if (paid.errMsg !== 'requestPayment:ok') throw new Error(`wx.requestPayment: ${paid.errMsg}`);
  return { plan, orderId: order.id, amount: order.amount, calls, retries, ...(couponId ? { couponId } : {}) };
}
