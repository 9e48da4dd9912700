import type { Collection } from '../../server/database';
import { connectSdk, control, emulatorUrl, uniqueName } from '../support/sdk';

/** Conformance of the emulator's database actions, driven through the real wx-server-sdk. */
const { database } = connectSdk();
const db = database();
const _ = db.command;

async function freshCollection(docs: Record<string, unknown>[] = [], indexes?: unknown[]) {
  const name = uniqueName('c');
  await control('POST', '/collections', { name, indexes });
  if (docs.length) await db.collection(name).add({ data: docs });
  // Tests read arbitrary fields back, so their documents are loosely typed.
  return db.collection<Record<string, any>>(name);
}

async function idsWhere(coll: Collection, where: Parameters<Collection['where']>[0]) {
  const { data } = await coll.where(where).orderBy('_id', 'asc').get();
  return data.map((d) => d._id);
}

/** Calls the admin API directly, for parameters the SDK never sends (to check the server's own checks). */
async function rawAdmin(params: Record<string, unknown>) {
  const res = await fetch(`${emulatorUrl()}/admin?env=local-env`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: res.status, body: (await res.json()) as { code?: string; message?: string; data?: unknown } };
}

const people = [
  { _id: 'a', name: 'Ann', age: 31, tags: ['excel', 'ppt'], city: { name: 'Shanghai', zip: '200000' }, scores: [80, 95] },
  { _id: 'b', name: 'Bob', age: 25, tags: ['photo'], city: { name: 'Beijing', zip: '100000' }, scores: [60] },
  { _id: 'c', name: 'Cai', age: 40, tags: [], city: { name: 'Shanghai', zip: '200001' }, scores: [70, 71, 99] },
  { _id: 'd', name: 'Dan', age: 18, city: { name: 'Hangzhou', zip: '310000' }, scores: [] },
];

describe('query operators (db.command)', () => {
  let coll: Collection;
  beforeAll(async () => {
    coll = await freshCollection(people);
  });

  it.each([
    ['eq', { age: _.eq(25) }, ['b']],
    ['neq', { age: _.neq(25) }, ['a', 'c', 'd']],
    ['lt', { age: _.lt(25) }, ['d']],
    ['lte', { age: _.lte(25) }, ['b', 'd']],
    ['gt', { age: _.gt(31) }, ['c']],
    ['gte', { age: _.gte(31) }, ['a', 'c']],
    ['in', { name: _.in(['Ann', 'Dan', 'Zed']) }, ['a', 'd']],
    ['nin', { name: _.nin(['Ann', 'Dan']) }, ['b', 'c']],
    ['and', { age: _.gt(20).and(_.lt(35)) }, ['a', 'b']],
    ['or (field)', { age: _.lt(20).or(_.gt(35)) }, ['c', 'd']],
    ['or (across fields)', _.or([{ age: _.lt(20) }, { name: 'Bob' }]), ['b', 'd']],
    ['nor', _.nor([{ age: _.lt(20) }, { name: 'Bob' }]), ['a', 'c']],
    ['not', { age: _.not(_.gt(30)) }, ['b', 'd']],
    ['exists', { tags: _.exists(false) }, ['d']],
    ['mod', { age: _.mod(5, 0) }, ['b', 'c']],
    ['all', { tags: _.all(['excel', 'ppt']) }, ['a']],
    ['elemMatch', { scores: _.elemMatch(_.gt(90)) }, ['a', 'c']],
    ['size', { scores: _.size(1) }, ['b']],
    ['array contains', { tags: 'photo' }, ['b']],
    ['nested object (flattened to dotted keys)', { city: { name: 'Shanghai' } }, ['a', 'c']],
    ['dotted key', { 'city.zip': '200001' }, ['c']],
    ['RegExp', { name: /^[ab]/i }, ['a', 'b']],
    ['db.RegExp', { name: db.RegExp({ regexp: 'n$', options: '' }) }, ['a', 'd']],
  ])('%s', async (_label, where, expected) => {
    expect(await idsWhere(coll, where)).toEqual(expected);
  });

  it('count() counts matches', async () => {
    expect((await coll.where({ 'city.name': 'Shanghai' }).count()).total).toBe(2);
  });

  it('orderBy, skip, limit and field shape the page', async () => {
    const { data } = await coll.where({}).orderBy('age', 'desc').skip(1).limit(2).field({ name: true }).get();
    expect(data).toEqual([
      { _id: 'a', name: 'Ann' },
      { _id: 'b', name: 'Bob' },
    ]);
  });

  it('orders by several fields', async () => {
    const { data } = await coll.orderBy('city.name', 'asc').orderBy('age', 'desc').field({ _id: true }).get();
    expect(data.map((d) => d._id)).toEqual(['b', 'd', 'c', 'a']);
  });
});

describe('update operators', () => {
  const base = { n: 10, list: [3, 1, 2], tags: ['x'], obj: { k: 1, keep: true }, old: 'name', gone: 1 };

  async function updated(update: Record<string, unknown>) {
    const coll = await freshCollection([{ _id: 'doc', ...base }]);
    await coll.doc('doc').update({ data: update });
    return (await coll.doc('doc').get()).data as Record<string, unknown>;
  }

  it.each([
    ['set', { obj: _.set({ only: 1 }) }, { obj: { only: 1 } }],
    ['merge a nested object', { obj: { k: 2 } }, { obj: { k: 2, keep: true } }],
    ['remove', { gone: _.remove() }, { gone: undefined }],
    ['inc', { n: _.inc(-3) }, { n: 7 }],
    ['mul', { n: _.mul(1.5) }, { n: 15 }],
    ['push', { list: _.push(4) }, { list: [3, 1, 2, 4] }],
    ['push each/position', { list: _.push({ each: [9, 8], position: 1 }) }, { list: [3, 9, 8, 1, 2] }],
    ['push sort/slice', { list: _.push({ each: [0], sort: 1, slice: 3 }) }, { list: [0, 1, 2] }],
    ['pop', { list: _.pop() }, { list: [3, 1] }],
    ['shift', { list: _.shift() }, { list: [1, 2] }],
    ['unshift', { list: _.unshift([7]) }, { list: [7, 3, 1, 2] }],
    ['pull', { list: _.pull(_.gte(2)) }, { list: [1] }],
    ['pullAll', { list: _.pullAll([1, 3]) }, { list: [2] }],
    ['addToSet (new)', { tags: _.addToSet('y') }, { tags: ['x', 'y'] }],
    ['addToSet (present)', { tags: _.addToSet('x') }, { tags: ['x'] }],
    ['rename', { old: _.rename('fresh') }, { old: undefined, fresh: 'name' }],
    ['min', { n: _.min(4) }, { n: 4 }],
    ['max', { n: _.max(4) }, { n: 10 }],
    ['dotted path', { 'obj.k': 5 }, { obj: { k: 5, keep: true } }],
  ])('%s', async (_label, update, expected) => {
    const doc = await updated(update);
    for (const [key, value] of Object.entries(expected)) expect(doc[key]).toEqual(value);
  });

  it('set() replaces the whole document and creates it when missing', async () => {
    const coll = await freshCollection([{ _id: 'doc', ...base }]);
    await coll.doc('doc').set({ data: { only: true } });
    expect((await coll.doc('doc').get()).data).toEqual({ _id: 'doc', only: true });
    const created = await coll.doc('new').set({ data: { fresh: 1 } });
    expect(created._id).toBe('new');
    expect((await coll.doc('new').get()).data).toEqual({ _id: 'new', fresh: 1 });
  });

  it('where().update() changes every match and reports how many; remove() deletes them', async () => {
    const coll = await freshCollection(people);
    const res = await coll.where({ 'city.name': 'Shanghai' }).update({ data: { vip: true } });
    expect(res.stats.updated).toBe(2);
    expect(await idsWhere(coll, { vip: true })).toEqual(['a', 'c']);
    const removed = await coll.where({ vip: true }).remove();
    expect(removed.stats.removed).toBe(2);
    expect((await coll.count()).total).toBe(2);
  });

  it('an update that changes nothing reports 0 updated', async () => {
    const coll = await freshCollection([{ _id: 'doc', n: 1 }]);
    expect((await coll.doc('doc').update({ data: { n: 1 } })).stats.updated).toBe(0);
  });

  it.each([
    ['inc on text', { n: _.inc(1) }],
    ['push onto a non-array', { n: _.push(1) }],
    ['a path through a scalar', { 'n.deeper': 1 }],
  ])('a bad update is an error, and the document is unchanged: %s', async (_label, update) => {
    const coll = await freshCollection([{ _id: 'doc', n: 'text' }]);
    await expect(coll.doc('doc').update({ data: update })).rejects.toThrow(/update failed/);
    expect((await coll.doc('doc').get()).data).toEqual({ _id: 'doc', n: 'text' });
  });
});

describe('values round-trip as EJSON', () => {
  it('keeps Dates, RegExps, nested objects, integers and doubles; db.serverDate() is the server time', async () => {
    const coll = await freshCollection();
    const when = new Date('2026-03-01T08:00:00.123Z');
    const before = Date.now();
    const { _id } = await coll.add({
      data: { when, pattern: /ab+c/i, deep: { a: [1, { b: 2.5 }] }, big: 2 ** 40, at: db.serverDate(), later: db.serverDate({ offset: 60_000 }) },
    });
    const { data } = await coll.doc(_id).get();
    expect(data.when).toEqual(when);
    expect(data.when).toBeInstanceOf(Date);
    expect(data.pattern).toMatchObject({ pattern: 'ab+c', options: 'i' });
    expect(data.deep).toEqual({ a: [1, { b: 2.5 }] });
    expect(data.big).toBe(2 ** 40);
    expect(data.at).toBeInstanceOf(Date);
    expect(data.at.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(data.later.getTime() - data.at.getTime()).toBe(60_000);
    expect(await idsWhere(coll, { when: _.gt(new Date('2026-01-01')) })).toEqual([_id]);
  });
});

describe('aggregate', () => {
  it('runs $match/$group/$sort and $lookup across collections', async () => {
    const courses = await freshCollection([
      { _id: 'excel', title: 'Excel' },
      { _id: 'photo', title: '摄影' },
    ]);
    const orders = await freshCollection([
      { course: 'excel', fee: 100 },
      { course: 'excel', fee: 50 },
      { course: 'photo', fee: 30 },
      { course: 'photo', fee: 0, refunded: true },
    ]);
    const $ = db.command.aggregate;
    const { list } = await orders
      .aggregate()
      .match({ refunded: _.neq(true) })
      .group({ _id: '$course', revenue: $.sum('$fee'), orders: $.sum(1) })
      .lookup({ from: (courses as unknown as { collectionName: string }).collectionName, localField: '_id', foreignField: '_id', as: 'course' })
      .sort({ revenue: -1 })
      .end();
    expect(list).toEqual([
      { _id: 'excel', revenue: 150, orders: 2, course: [{ _id: 'excel', title: 'Excel' }] },
      { _id: 'photo', revenue: 30, orders: 1, course: [{ _id: 'photo', title: '摄影' }] },
    ]);
  });

  it('returns 20 documents unless the pipeline has a $limit, as CloudBase does', async () => {
    const coll = await freshCollection(Array.from({ length: 30 }, (_v, i) => ({ i })));
    expect((await coll.aggregate().match({}).end()).list).toHaveLength(20);
    expect((await coll.aggregate().match({}).limit(25).end()).list).toHaveLength(25);
  });
});

describe('errors and limits', () => {
  it('an unknown collection fails with DATABASE_COLLECTION_NOT_EXIST (-502005)', async () => {
    await expect(db.collection('no_such_collection').get()).rejects.toMatchObject({ errCode: -502005 });
  });

  it('creating a collection twice is an error; createCollection makes it usable', async () => {
    const name = uniqueName('made');
    await db.createCollection(name);
    await expect(db.createCollection(name)).rejects.toThrow(/exist/i);
    await db.collection(name).add({ data: { ok: 1 } });
    expect((await db.collection(name).count()).total).toBe(1);
  });

  it('a missing document is an error on doc().get()', async () => {
    const coll = await freshCollection();
    await expect(coll.doc('nobody').get()).rejects.toThrow(/does not exist/);
  });

  it('limit over 1000 is refused by the server', async () => {
    const coll = await freshCollection([{ x: 1 }]);
    const { body } = await rawAdmin({
      action: 'database.getDocument',
      collectionName: (coll as unknown as { collectionName: string }).collectionName,
      queryType: 'WHERE',
      query: '{}',
      limit: 1001,
    });
    expect(body).toMatchObject({ code: 'INVALID_PARAM', message: expect.stringContaining('limit') });
  });

  it.each([
    ['garbage query', { action: 'database.getDocument', collectionName: 'users', query: '{not json' }, 'INVALID_PARAM'],
    ['no collection name', { action: 'database.getDocument', query: '{}' }, 'INVALID_PARAM'],
    ['unknown operator', { action: 'database.getDocument', collectionName: 'users', query: '{"a":{"$bogus":1}}' }, 'DATABASE_INVALID_OPERRATOR'],
    ['unknown action', { action: 'database.dropEverything' }, 'ACTION_NOT_SUPPORTED'],
  ])('bad parameters get a clear error, not a crash: %s', async (_label, params, code) => {
    const { status, body } = await rawAdmin(params);
    expect(status).toBe(200);
    expect(body.code).toBe(code);
    expect(body.message).toBeTruthy();
    expect((await fetch(`${emulatorUrl()}/__emulator/health`)).ok).toBe(true);
  });

  it('a duplicate _id is refused', async () => {
    const coll = await freshCollection([{ _id: 'same' }]);
    await expect(coll.add({ data: { _id: 'same' } })).rejects.toThrow(/duplicate key/);
  });
});

describe('indexes', () => {
  it('a unique index rejects a duplicate, counting a missing field as null', async () => {
    const coll = await freshCollection([{ _id: 'u1', email: 'a@x.cn' }], [{ keys: { email: 1 }, unique: true }]);
    await expect(coll.add({ data: { email: 'a@x.cn' } })).rejects.toThrow(/E11000 duplicate key/);
    await coll.add({ data: { _id: 'nomail1' } });
    await expect(coll.add({ data: { _id: 'nomail2' } })).rejects.toThrow(/duplicate key/);
    await expect(coll.doc('nomail1').update({ data: { email: 'a@x.cn' } })).rejects.toThrow(/duplicate key/);
    expect((await coll.count()).total).toBe(2);
  });

  it('point reads and equality queries on an indexed field do not scan the collection', async () => {
    const docs = Array.from({ length: 500 }, (_v, i) => ({ _id: `d${i}`, course: `c${i % 50}`, n: i }));
    const coll = await freshCollection(docs, [{ keys: { course: 1 } }]);
    const name = (coll as unknown as { collectionName: string }).collectionName;
    const examined = async () => (await control<{ collections: Record<string, { docsExamined: number }> }>('GET', '/stats')).collections[name].docsExamined;

    let before = await examined();
    expect((await coll.doc('d42').get()).data.n).toBe(42);
    expect((await examined()) - before).toBe(1);

    before = await examined();
    const { data } = await coll.where({ course: 'c7', n: _.gte(100) }).get();
    expect(data.map((d) => d.n)).toEqual([107, 157, 207, 257, 307, 357, 407, 457]);
    expect((await examined()) - before).toBe(10);

    before = await examined();
    await coll.where({ n: 7 }).get();
    expect((await examined()) - before).toBe(500);

    before = await examined();
    expect((await coll.where({ n: db.command.gte(0) }).skip(5).limit(10).get()).data).toHaveLength(10);
    expect((await examined()) - before).toBe(15);
  });

  it('a compound index serves queries on its leading fields', async () => {
    const docs = Array.from({ length: 300 }, (_v, i) => ({ course: `c${i % 30}`, at: i }));
    const coll = await freshCollection(docs, [{ keys: { course: 1, at: -1 } }]);
    const name = (coll as unknown as { collectionName: string }).collectionName;
    const examined = async () => (await control<{ collections: Record<string, { docsExamined: number }> }>('GET', '/stats')).collections[name].docsExamined;
    const before = await examined();
    const { data } = await coll.where({ course: 'c3' }).orderBy('at', 'desc').limit(3).get();
    expect(data.map((d) => d.at)).toEqual([273, 243, 213]);
    expect((await examined()) - before).toBe(10);
  });
});
