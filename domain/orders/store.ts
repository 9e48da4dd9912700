import { readIfExists, type Transaction } from '../../server/database';
import { ORDERS, type Order } from './model';

type OrderData = Omit<Order, '_id'>;

/** An order read inside a transaction (locking it until commit), or null when there is none. */
export async function readOrder(tx: Transaction, id: string): Promise<Order | null> {
  const stored = await readIfExists<OrderData>(tx, ORDERS, id);
  return stored && { ...stored, _id: id };
}

/** Writes the whole order back in the transaction that read it. */
export async function saveOrder(tx: Transaction, order: Order): Promise<void> {
  const { _id, ...data } = order;
  await tx.collection<OrderData>(ORDERS).doc(_id).set({ data });
}
