import type { Doc } from '../ejson';
import type { Store } from '../database/store';

/** A cloud pay order, as WeChat Pay keeps it. */
export interface Trade {
  outTradeNo: string;
  subMchId: string;
  prepayId: string;
  body: string;
  attach?: string;
  totalFee: number;
  /** the payer, under the mini program's AppID */
  openid: string;
  functionName: string;
  envId: string;
  spbillCreateIp: string;
  state: 'NOTPAY' | 'SUCCESS' | 'CLOSED';
  createdAt: number;
  transactionId?: string;
  /** yyyyMMddHHmmss, Beijing time */
  timeEnd?: string;
  closedAt?: number;
}

export interface Refund {
  outRefundNo: string;
  refundId: string;
  outTradeNo: string;
  transactionId: string;
  totalFee: number;
  refundFee: number;
  /** REFUNDCLOSE: WeChat Pay gave up on it (the sandbox control's `fail`) */
  status: 'PROCESSING' | 'SUCCESS' | 'REFUNDCLOSE';
  functionName?: string;
  createdAt: number;
  /** yyyy-MM-dd HH:mm:ss, Beijing time */
  successTime?: string;
}

/** A mini-program virtual payment (道具直购), as `xpay/query_order` describes it. */
export interface VirtualOrder {
  outTradeNo: string;
  wxOrderId: string;
  openid: string;
  env: 0 | 1;
  offerId: string;
  productId: string;
  buyQuantity: number;
  goodsPrice: number;
  attach: string;
  /** xpay order status: 2 paid and waiting for delivery, 4 delivered, 5 refunded in full */
  status: 2 | 4 | 5;
  createTime: number;
  paidTime: number;
  provideTime?: number;
  /** WeChat Pay's transaction: `WeChatPayInfo.TransactionId` of the push, `wxpay_order_id` of query_order */
  transactionId: string;
  /** fen not refunded yet (less what refunds under way hold) */
  leftFee: number;
}

/** A refund of a virtual payment (`xpay/refund_order`), as query_order describes it (order_type 1). */
export interface VirtualRefund {
  refundOrderId: string;
  wxRefundId: string;
  outTradeNo: string;
  openid: string;
  env: 0 | 1;
  refundFee: number;
  bizMeta: string;
  /** 1 under way, 8 done (the learner has the money), 7 failed */
  status: 1 | 7 | 8;
  createTime: number;
  doneTime?: number;
  retMsg?: string;
}

export interface Attempt {
  at: number;
  invocationId?: string;
  /** `acknowledged`: the function answered success; `refused`: it answered something else; `failed`: it threw or timed out */
  outcome: 'acknowledged' | 'refused' | 'failed';
  result?: unknown;
  error?: string;
}

/** One notification of a payment, a refund or a virtual payment, with every attempt to deliver it. */
export interface Delivery {
  id: string;
  kind: 'payment' | 'refund' | 'virtualPayment' | 'virtualRefund';
  /** outTradeNo, or outRefundNo for a refund */
  key: string;
  functionName: string;
  event: Record<string, unknown>;
  /** `dropped`: paid with `deliver: false`, as if WeChat's notification was lost */
  status: 'pending' | 'delivered' | 'failed' | 'dropped';
  createdAt: number;
  attempts: Attempt[];
}

/** Internal collections: a leading underscore and the `_sandbox_` prefix keep them apart from the product's. */
const COLLECTIONS = {
  trades: '_sandbox_pay_trades',
  refunds: '_sandbox_pay_refunds',
  deliveries: '_sandbox_pay_deliveries',
  virtualOrders: '_sandbox_xpay_orders',
  virtualRefunds: '_sandbox_xpay_refunds',
} as const;

type Kind = keyof typeof COLLECTIONS;
interface Records {
  trades: Trade;
  refunds: Refund;
  deliveries: Delivery;
  virtualOrders: VirtualOrder;
  virtualRefunds: VirtualRefund;
}

/**
 * The sandbox's ledger, kept in the emulator's database so a restart keeps it. Collections are created on
 * first use, not at start: an empty data folder must stay empty until the demo data is loaded.
 */
export class Ledger {
  private creating?: Promise<void>;

  constructor(private readonly store: Store) {}

  /** Creates the collections; await it before reading and writing. */
  ready(): Promise<void> {
    this.creating ??= (async () => {
      for (const name of Object.values(COLLECTIONS)) if (!this.store.hasCollection(name)) await this.store.createCollection(name);
    })();
    return this.creating;
  }

  get<K extends Kind>(kind: K, id: string): Records[K] | undefined {
    const name = COLLECTIONS[kind];
    if (!this.store.hasCollection(name)) return undefined;
    return this.store.collection(name).docs.get(id) as Records[K] | undefined;
  }

  list<K extends Kind>(kind: K): Records[K][] {
    const name = COLLECTIONS[kind];
    if (!this.store.hasCollection(name)) return [];
    return [...this.store.collection(name).docs.values()].map(({ _id, ...record }) => record) as unknown as Records[K][];
  }

  /**
   * Applies the record at once (so a read-check-write with no await in between is atomic) and resolves when
   * it is on disk. Stored records are shared: callers write copies, never mutate what `get` returned.
   */
  put<K extends Kind>(kind: K, id: string, record: Records[K]): Promise<void> {
    return this.store.commit([{ collection: COLLECTIONS[kind], id, doc: { ...record, _id: id } as unknown as Doc }]);
  }
}
