/**
 * `wx.cloud.database()` for the mini-program harness: the real `@cloudbase/database` query builder
 * (what wx-server-sdk wraps) builds every request, and a request class of our own posts it to the
 * emulator's client gateway (`POST /gateway/database`) as the session's learner, where the collection's
 * security rules decide. On top, the mini program's API shape: `add({data})`, `update({data})`,
 * `doc(id).get()` answering one document, `{stats: {updated}}`, errMsg, callbacks or promises.
 *
 * The query builder keeps its request class in a static (`Db.reqClass`), which wx-server-sdk sets to
 * its admin requester on every `cloud.database()`; this module loads a private copy of the package so
 * both can live in one test file.
 */
import type * as CloudbaseDatabase from '@cloudbase/database';
import { asyncApi, type Callbacks } from './api';
import { postJson } from './http';

let lib!: typeof CloudbaseDatabase;
jest.isolateModules(() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  lib = require('@cloudbase/database') as typeof CloudbaseDatabase;
});

/** The learner's side of the harness: where the gateway is and who calls (both may change mid-test). */
export interface ClientSession {
  readonly gatewayUrl: string;
  readonly openid: string;
  /** lets the harness wait for calls in flight */
  track<T>(work: Promise<T>): Promise<T>;
}

/** What a database call rejects with on a phone: `errCode` (-502003 permission denied...) and `errMsg`. */
export class DatabaseError extends Error {
  constructor(
    readonly errCode: number,
    readonly errMsg: string,
  ) {
    super(errMsg);
  }
}

/** CloudBase's error codes as the mini program reports them. */
const ERR_CODES: Record<string, [number, string]> = {
  INVALID_PARAM: [-501007, 'invalid parameters'],
  DATABASE_REQUEST_FAILED: [-502001, 'database request fail'],
  DATABASE_INVALID_OPERRATOR: [-502002, 'database invalid command'],
  DATABASE_PERMISSION_DENIED: [-502003, 'database permission denied'],
  DATABASE_COLLECTION_NOT_EXIST: [-502005, 'database collection not exists'],
};

/** The name WeChat gives a call in errMsg (`collection.get:fail ...`). */
function apiName(action: string, params: Record<string, unknown>): string {
  const target = params.queryType === 'DOC' ? 'document' : 'collection';
  const verb: Record<string, string> = {
    'database.getDocument': 'get',
    'database.calculateDocument': 'count',
    'database.insertDocument': 'add',
    'database.modifyDocument': params.merge === false ? 'set' : 'update',
    'database.removeDocument': 'remove',
  };
  return `${action === 'database.insertDocument' ? 'collection' : target}.${verb[action] ?? action}`;
}


/** The request class the query builder instantiates with the Db's config for every call. */
class GatewayRequest {
  private readonly session: ClientSession;

  constructor(config: { session: ClientSession }) {
    this.session = config.session;
  }

  async send(action: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const api = apiName(action, params);
    let reply: { status: number; body: Record<string, unknown> };
    try {
      reply = await postJson(`${this.session.gatewayUrl}/gateway/database`, { openid: this.session.openid, action, params });
    } catch (e) {
      throw new DatabaseError(-1, `${api}:fail request:fail ${(e as Error).message}`);
    }
    if (reply.status !== 200) throw new Error(`database gateway answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    const code = reply.body.code;
    if (typeof code === 'string') {
      const [errCode, text] = ERR_CODES[code] ?? [-501001, 'system error'];
      throw new DatabaseError(errCode, `${api}:fail ${errCode} ${text} | errMsg: ${String(reply.body.message)}`);
    }
    return reply.body;
  }
}

type Id = string | number;

lib.Db.reqClass = GatewayRequest;

/** `wx.cloud.database()` for one session (see the module comment). */
export function clientDatabase(session: ClientSession) {
  const db = new lib.Db({ session });

  /** Callbacks if any were given, a promise otherwise (WeChat's convention). */
  const call = <T>(options: Callbacks | undefined, work: () => Promise<T>) =>
    asyncApi(options, session.track(Promise.resolve().then(work))) as Promise<T> | undefined;

  class MiniQuery {
    constructor(protected readonly query: CloudbaseDatabase.Query) {}

    where(condition: object) {
      return new MiniQuery(this.query.where(condition));
    }
    orderBy(field: string, direction: 'asc' | 'desc') {
      return new MiniQuery(this.query.orderBy(field, direction));
    }
    limit(n: number) {
      return new MiniQuery(this.query.limit(n));
    }
    skip(n: number) {
      return new MiniQuery(this.query.skip(n));
    }
    field(projection: object) {
      return new MiniQuery(this.query.field(projection));
    }
    get(options?: Callbacks) {
      return call(options, async () => ({ data: (await this.query.get()).data, errMsg: 'collection.get:ok' }));
    }
    count(options?: Callbacks) {
      return call(options, async () => ({ total: ((await this.query.count()) as { total: number }).total, errMsg: 'collection.count:ok' }));
    }
    update(options: Callbacks & { data: object }) {
      return call(options, async () => {
        const { updated } = (await this.query.update(options.data)) as { updated: number };
        return { stats: { updated }, errMsg: 'collection.update:ok' };
      });
    }
    remove(options?: Callbacks) {
      return call(options, async () => {
        const { deleted } = (await this.query.remove()) as { deleted: number };
        return { stats: { removed: deleted }, errMsg: 'collection.remove:ok' };
      });
    }
  }

  class MiniCollection extends MiniQuery {
    constructor(private readonly collection: CloudbaseDatabase.CollectionReference) {
      super(collection);
    }

    doc(id: Id) {
      return new MiniDocument(this.collection.doc(id));
    }
    add(options: Callbacks & { data: object }) {
      return call(options, async () => ({ _id: (await this.collection.add(options.data)).id, errMsg: 'collection.add:ok' }));
    }
  }

  class MiniDocument {
    constructor(private readonly doc: CloudbaseDatabase.DocumentReference) {}

    field(projection: object) {
      return new MiniDocument(this.doc.field(projection));
    }
    get(options?: Callbacks) {
      return call(options, async () => {
        const { data } = (await this.doc.get()) as { data: unknown[] };
        if (!data.length) throw new DatabaseError(-1, `document.get:fail document with _id ${this.doc.id} does not exist`);
        return { data: data[0], errMsg: 'document.get:ok' };
      });
    }
    update(options: Callbacks & { data: object }) {
      return call(options, async () => {
        const { updated } = (await this.doc.update(options.data)) as { updated: number };
        return { stats: { updated }, errMsg: 'document.update:ok' };
      });
    }
    set(options: Callbacks & { data: object }) {
      return call(options, async () => {
        const { updated, upsertedId } = (await this.doc.set(options.data)) as { updated: number; upsertedId?: Id };
        return { _id: this.doc.id, stats: { updated, created: upsertedId === undefined ? 0 : 1 }, errMsg: 'document.set:ok' };
      });
    }
    remove(options?: Callbacks) {
      return call(options, async () => {
        const { deleted } = (await this.doc.remove()) as { deleted: number };
        return { stats: { removed: deleted }, errMsg: 'document.remove:ok' };
      });
    }
  }

  return {
    command: db.command,
    serverDate: db.serverDate as (options?: { offset?: number }) => unknown,
    RegExp: db.RegExp as (options: { regexp: string; options?: string }) => unknown,
    Geo: db.Geo,
    collection: (name: string) => new MiniCollection(db.collection(name)),
  };
}

export type ClientDatabase = ReturnType<typeof clientDatabase>;
