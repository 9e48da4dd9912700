/**
 * Orders as the creator console sees them (staff with `orders.read`): the filtered list, one order with
 * everything that happened to it, and the CSV export. Reads only: changes to orders go through refunds.
 */
import { pageOf, type Database } from '../../server/database';
import type {
  AdminOrderRow,
  ExportOrdersResponse,
  GetOrderAdminResponse,
  IncidentView,
  ListOrdersResponse,
  exportOrdersRequest,
  listOrdersRequest,
} from '../contracts/orders-admin';
import { MAX_PAGE_SIZE } from '../contracts/paging';
import type * as z from '../contracts/schema';
import { DomainError } from '../errors';
import { listAudit } from '../staff/audit';
import { USERS } from '../users/profile';
import { incidentId, INCIDENTS, type Incident, type IncidentKind } from './incidents';
import { ORDER_STATUS_TEXT, ORDERS, PAYMENT_RAIL_TEXT, type Order } from './model';

type Filters = z.output<typeof exportOrdersRequest>;

const BEIJING = '+08:00';
const DAY_MS = 86_400_000;

/** What a row needs: never the history, the refund or the request key. */
const ROW_FIELDS = { openid: true, item: true, amount: true, status: true, provider: true, createdAt: true, paidAt: true } as const;
type RowSource = Pick<Order, '_id' | 'openid' | 'item' | 'amount' | 'status' | 'provider' | 'createdAt' | 'paidAt'>;

/**
 * The query of the filters. Each equality has an index with `createdAt` after it, so the newest-first
 * sort is served by the index whatever the filter (collections.json: `openid_createdAt`,
 * `status_createdAt`, `course_createdAt`, and `createdAt` alone for a date range or no filter); the order
 * number is the `_id`. Days are Beijing days, `to` included. `upTo` bounds the export's next page.
 */
function whereOf(db: Database, f: Filters, upTo?: Date): Record<string, unknown> {
  const _ = db.command;
  const where: Record<string, unknown> = {};
  if (f.orderNumber) where._id = f.orderNumber;
  if (f.openid) where.openid = f.openid;
  if (f.courseId) where['item.courseId'] = f.courseId;
  if (f.status) where.status = f.status;
  const bounds = [
    ...(f.from ? [_.gte(new Date(`${f.from}T00:00:00${BEIJING}`))] : []),
    ...(f.to ? [_.lt(new Date(Date.parse(`${f.to}T00:00:00${BEIJING}`) + DAY_MS))] : []),
    ...(upTo ? [_.lte(upTo)] : []),
  ];
  if (bounds.length) where.createdAt = bounds.length === 1 ? bounds[0] : _.and(bounds);
  return where;
}

function toRow(o: RowSource, nicknames: ReadonlyMap<string, string>): AdminOrderRow {
  const nickname = nicknames.get(o.openid);
  return {
    id: o._id,
    openid: o.openid,
    ...(nickname !== undefined ? { nickname } : {}),
    item: { kind: o.item.kind, title: o.item.title, ...('courseId' in o.item ? { courseId: o.item.courseId } : { planId: o.item.planId }) },
    amount: o.amount,
    status: o.status,
    rail: o.provider,
    createdAt: o.createdAt,
    ...(o.paidAt ? { paidAt: o.paidAt } : {}),
  };
}

/** The nicknames of the orders' learners, in one request. */
export async function nicknamesOf(db: Database, openids: string[]): Promise<Map<string, string>> {
  const distinct = [...new Set(openids)];
  if (!distinct.length) return new Map();
  const { data } = await db
    .collection<{ nickname: string }>(USERS)
    .where({ _id: db.command.in(distinct) })
    .field({ nickname: true })
    .limit(distinct.length)
    .get();
  return new Map(data.map((u) => [u._id, u.nickname]));
}

/** The rows of `orders`, with their learners' nicknames: one more request, unless the caller knows them (`known`). */
export async function rowsOf(db: Database, orders: RowSource[], known?: ReadonlyMap<string, string>): Promise<AdminOrderRow[]> {
  const nicknames = known ?? (await nicknamesOf(db, orders.map((o) => o.openid)));
  return orders.map((o) => toRow(o, nicknames));
}

/**
 * Orders matching the filters, newest first (`_id` breaks ties), one page: 2 requests (the page, then its
 * learners' nicknames), 1 for an empty page.
 */
export async function listOrders(db: Database, req: z.output<typeof listOrdersRequest>): Promise<ListOrdersResponse> {
  const { page: _page, pageSize: _pageSize, ...filters } = req;
  const { items, page, hasMore } = await pageOf(
    db.collection<RowSource>(ORDERS).where(whereOf(db, filters)).orderBy('createdAt', 'desc').orderBy('_id', 'desc').field(ROW_FIELDS),
    req,
  );
  return { orders: await rowsOf(db, items), page, hasMore };
}

/** Every incident kind: an order's incidents are read by their `_id`s (`<outTradeNo>:<kind>`), no index needed. */
const INCIDENT_KINDS = [
  'amountMismatch',
  'payerMismatch',
  'alreadyOwned',
  'unknownOrder',
  'rejectedNotification',
  'suspiciousEvent',
  'wrongRail',
  'secondPayment',
  'refundFailed',
  'refundMismatch',
] as const satisfies readonly IncidentKind[];
// Fails to compile when a kind is added to incidents.ts and not here (its incidents would not be shown).
const _allKinds: Exclude<IncidentKind, (typeof INCIDENT_KINDS)[number]> extends never ? true : false = true;
void _allKinds;

export const incidentView = ({ _id, ...rest }: Incident & Partial<IncidentView>): IncidentView => ({ id: _id, ...rest });

/**
 * One order for staff: the order whole, its status history, its incidents and staff's changes to it (the
 * audit log's entries about it). 4 requests: the order, its incidents and its audit entries at once, then
 * the learner's nickname.
 */
export async function getOrderAdmin(db: Database, orderId: string): Promise<GetOrderAdminResponse> {
  const [{ data: orders }, { data: incidents }, audit] = await Promise.all([
    db.collection<Order>(ORDERS).where({ _id: orderId }).get(),
    db
      .collection<Incident>(INCIDENTS)
      .where({ _id: db.command.in(INCIDENT_KINDS.map((kind) => incidentId(orderId, kind))) })
      .get(),
    listAudit(db, { targetId: orderId, page: 1, pageSize: MAX_PAGE_SIZE }),
  ]);
  const order = orders[0];
  if (!order) throw new DomainError('NOT_FOUND', '订单不存在');
  const [row] = await rowsOf(db, [order]);
  return {
    order: {
      ...row!,
      itemDetail: order.item,
      ...(order.originalAmount !== undefined ? { originalAmount: order.originalAmount } : {}),
      ...(order.coupon ? { coupon: order.coupon } : {}),
      ...(order.closedAt ? { closedAt: order.closedAt } : {}),
      ...(order.payment ? { payment: order.payment } : {}),
      ...(order.refund ? { refund: order.refund } : {}),
    },
    history: order.history,
    incidents: incidents.map(incidentView).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()),
    audit: audit.entries,
  };
}

/** An export holds at most this many orders: about 1 MB of CSV, within what a function may answer. */
export const EXPORT_CAP = 5000;
/** A read answers at most 1,000 documents. */
const EXPORT_PAGE = 1000;

const KIND_TEXT: Record<AdminOrderRow['item']['kind'], string> = { course: '课程', gift: '赠送课程', membership: '会员' };

export const CSV_HEADER = ['订单号', '学员编号', '学员昵称', '类型', '商品', '金额（元）', '状态', '支付方式', '下单时间', '支付时间'];

/** Beijing local time, `YYYY-MM-DD HH:mm:ss` (China has no daylight saving time: a fixed offset is exact). */
export const beijingTime = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

/**
 * One CSV field: quoted when it holds a separator, a quote or a line break; a learner's nickname that
 * starts like a formula (=, +, -, @) is prefixed with ' so Excel shows it instead of running it.
 */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const csvLine = (fields: string[]) => fields.map(csvField).join(',');

const csvRow = (r: AdminOrderRow) =>
  csvLine([
    r.id,
    r.openid,
    r.nickname ?? '',
    KIND_TEXT[r.item.kind],
    r.item.title,
    (r.amount / 100).toFixed(2),
    ORDER_STATUS_TEXT[r.status],
    PAYMENT_RAIL_TEXT[r.rail],
    beijingTime(r.createdAt),
    r.paidAt ? beijingTime(r.paidAt) : '',
  ]);

/**
 * The orders matching the filters as CSV, newest first, at most `EXPORT_CAP`. Pages of 1,000 are read by
 * keyset (each next page is `createdAt` up to the last one read, the ids already read dropped), not by
 * offset, so orders placed during the export shift nothing. Requests: 2 per 1,000 orders (the page and its
 * learners' nicknames), at most 11 for a full export.
 */
export async function exportOrders(db: Database, filters: Filters, now: Date): Promise<ExportOrdersResponse> {
  const rows: AdminOrderRow[] = [];
  const seen = new Set<string>();
  let upTo: Date | undefined;
  let truncated = false;
  for (;;) {
    const { data } = await db
      .collection<RowSource>(ORDERS)
      .where(whereOf(db, filters, upTo))
      .orderBy('createdAt', 'desc')
      .orderBy('_id', 'desc')
      .limit(EXPORT_PAGE)
      .field(ROW_FIELDS)
      .get();
    const fresh = data.filter((o) => !seen.has(o._id));
    const room = EXPORT_CAP - rows.length;
    if (fresh.length > room) truncated = true;
    const taken = fresh.slice(0, room);
    taken.forEach((o) => seen.add(o._id));
    rows.push(...(await rowsOf(db, taken)));
    // A short page is the last; a full page of nothing new would mean 1,000 orders in one millisecond.
    if (truncated || data.length < EXPORT_PAGE || !fresh.length) break;
    if (rows.length === EXPORT_CAP) {
      // Exactly full: one order more tells whether the file is complete.
      truncated = (await db.collection(ORDERS).where(whereOf(db, filters, data[data.length - 1]!.createdAt)).field({ _id: true }).limit(EXPORT_PAGE).get()).data.some((o) => !seen.has(o._id));
      break;
    }
    upTo = data[data.length - 1]!.createdAt;
  }
  const csv = `\uFEFF${[csvLine(CSV_HEADER), ...rows.map(csvRow)].join('\r\n')}\r\n`;
  const stamp = beijingTime(now).replace(/[-:]/g, '').replace(' ', '-').slice(0, 13);
  return {
    filename: `订单导出-${stamp}.csv`,
    csv,
    rows: rows.length,
    truncated,
    ...(truncated ? { message: `符合条件的订单超过 ${EXPORT_CAP} 条，仅导出最新的 ${EXPORT_CAP} 条，请缩小日期范围后分批导出` } : {}),
  };
}
