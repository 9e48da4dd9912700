import { randomBytes } from 'node:crypto';
import { clientDatabase, type ClientDatabase } from '../support/wx/database';
import { connectSdk, control, emulatorUrl, uniqueName } from '../support/sdk';

/**
 * The mini program's own database access (`wx.cloud.database()`), through the client gateway, against
 * the collections' security rules; cloud functions (the admin SDK here) bypass them.
 */
const { database } = connectSdk();
const admin = () => database();

const learner = () => `o-cdb-${randomBytes(5).toString('hex')}`;
const asLearner = (openid: string): ClientDatabase =>
  clientDatabase({ gatewayUrl: emulatorUrl(), openid, track: (work) => work });

/** A test-only collection with the given security rules. */
async function collectionWith(rules: unknown, prefix = 'cdb') {
  const name = uniqueName(prefix);
  await control('POST', '/collections', { name, rules });
  return name;
}

const PERMISSION_DENIED = { errCode: -502003 };

describe('client database access with security rules', () => {
  describe('money and access (orders, entitlements and the rest, as declared in database/collections.json)', () => {
    const buyer = learner();
    const other = learner();
    beforeAll(async () => {
      for (const openid of [buyer, other]) {
        await admin().collection('orders').add({ data: { _id: `order-${openid}`, outTradeNo: `order-${openid}`, openid, status: 'paid', amount: 990 } });
        await admin().collection('entitlements').add({ data: { _id: `${openid}:course:excel-basics`, openid, kind: 'course', courseId: 'excel-basics', status: 'active' } });
      }
    });

    it("a learner reads their own orders and entitlements, never another learner's", async () => {
      const db = asLearner(buyer);
      await expect(db.collection('orders').where({ openid: buyer }).get()).resolves.toMatchObject({ data: [{ _id: `order-${buyer}` }] });
      await expect(db.collection('orders').doc(`order-${other}`).get()).rejects.toMatchObject(PERMISSION_DENIED);
      await expect(db.collection('orders').where({ openid: other }).get()).rejects.toMatchObject(PERMISSION_DENIED);
      await expect(db.collection('orders').where({ status: 'paid' }).get()).rejects.toMatchObject(PERMISSION_DENIED);
      await expect(db.collection('entitlements').doc(`${other}:course:excel-basics`).get()).rejects.toMatchObject(PERMISSION_DENIED);
    });

    it.each(['orders', 'entitlements', 'coupons', 'groups', 'referrals', 'progress', 'users', 'courses', 'lessons'])(
      'nobody writes %s from the client: no new document, no change to their own',
      async (collection) => {
        const db = asLearner(buyer);
        await expect(db.collection(collection).add({ data: { openid: buyer, status: 'paid', amount: 0 } })).rejects.toMatchObject(PERMISSION_DENIED);
        if (collection === 'orders') {
          await expect(db.collection('orders').doc(`order-${buyer}`).update({ data: { amount: 1 } })).rejects.toMatchObject(PERMISSION_DENIED);
          await expect(db.collection('orders').doc(`order-${buyer}`).remove()).rejects.toMatchObject(PERMISSION_DENIED);
          expect((await admin().collection('orders').doc(`order-${buyer}`).get()).data).toMatchObject({ amount: 990, status: 'paid' });
        }
        if (collection === 'entitlements') {
          await expect(db.collection('entitlements').doc(`${buyer}:course:excel-advanced`).set({ data: { openid: buyer, kind: 'course', courseId: 'excel-advanced', status: 'active' } })).rejects.toMatchObject(PERMISSION_DENIED);
          await expect(admin().collection('entitlements').doc(`${buyer}:course:excel-advanced`).get()).rejects.toThrow(/does not exist/);
        }
      },
    );

    it('nobody reads lesson content from the client, even of a trial lesson', async () => {
      await expect(asLearner(buyer).collection('lessons').doc('excel-basics-01').get()).rejects.toMatchObject(PERMISSION_DENIED);
    });
  });

  describe('users ({read: "doc._id == auth.openid", write: false} in database/collections.json)', () => {
    const me = learner();
    const other = learner();
    beforeAll(async () => {
      for (const openid of [me, other]) await admin().collection('users').add({ data: { _id: openid, nickName: `学员${openid.slice(-4)}` } });
    });

    it('a learner reads their own document', async () => {
      const db = asLearner(me);
      await expect(db.collection('users').doc(me).get()).resolves.toMatchObject({ data: { _id: me, nickName: expect.any(String) } });
      const { data } = (await db.collection('users').where({ _id: me }).get())!;
      expect(data).toEqual([expect.objectContaining({ _id: me })]);
    });

    it("but not another learner's", async () => {
      const db = asLearner(me);
      await expect(db.collection('users').doc(other).get()).rejects.toMatchObject(PERMISSION_DENIED);
      await expect(db.collection('users').where({ _id: other }).get()).rejects.toMatchObject(PERMISSION_DENIED);
      await expect(db.collection('users').where({ _id: db.command.in([me, other]) }).get()).rejects.toMatchObject(PERMISSION_DENIED);
    });

    it('a query that does not pin _id to the caller is refused as not a subset of the rule', async () => {
      const db = asLearner(me);
      await expect(db.collection('users').get()).rejects.toMatchObject({
        errCode: -502003,
        errMsg: expect.stringMatching(/^collection\.get:fail -502003 .*not a subset of the read rule/),
      });
      await expect(db.collection('users').where({ nickName: '学员' }).count()).rejects.toMatchObject(PERMISSION_DENIED);
      // An $or is a subset only when every alternative is.
      const _ = db.command;
      await expect(db.collection('users').where(_.or([{ _id: me }, { nickName: '学员' }])).get()).rejects.toMatchObject(PERMISSION_DENIED);
      await expect(db.collection('users').where(_.or([{ _id: me }, { _id: '{openid}' }])).get()).resolves.toMatchObject({ data: [{ _id: me }] });
    });

    it('nobody writes users from the client, not even their own document; cloud functions do', async () => {
      const db = asLearner(me);
      await expect(db.collection('users').doc(me).update({ data: { nickName: '黑客' } })).rejects.toMatchObject(PERMISSION_DENIED);
      await expect(db.collection('users').doc(me).set({ data: { nickName: '黑客' } })).rejects.toMatchObject(PERMISSION_DENIED);
      await expect(db.collection('users').doc(me).remove()).rejects.toMatchObject(PERMISSION_DENIED);
      await expect(db.collection('users').add({ data: { nickName: '新人' } })).rejects.toMatchObject(PERMISSION_DENIED);
      await expect(db.collection('users').where({ _id: me }).update({ data: { nickName: '黑客' } })).rejects.toMatchObject(PERMISSION_DENIED);
      await admin().collection('users').doc(me).update({ data: { nickName: '改名了' } });
      await expect(db.collection('users').doc(me).get()).resolves.toMatchObject({ data: { nickName: '改名了' } });
    });
  });

  it('an ADMINONLY (or read: false) collection is unreadable from the client, whatever the query', async () => {
    const me = learner();
    for (const rules of ['ADMINONLY', { read: false, write: false }]) {
      const name = await collectionWith(rules);
      const { _id } = (await admin().collection(name).add({ data: { _openid: me, secret: 1 } })) as { _id: string };
      const db = asLearner(me);
      await expect(db.collection(name).doc(_id).get()).rejects.toMatchObject(PERMISSION_DENIED);
      await expect(db.collection(name).where({ _openid: me }).get()).rejects.toMatchObject(PERMISSION_DENIED);
      await expect(db.collection(name).add({ data: { a: 1 } })).rejects.toMatchObject(PERMISSION_DENIED);
    }
  });

  describe('a PRIVATE collection (only the creator reads and writes)', () => {
    const owner = learner();
    const intruder = learner();
    let notes: string;
    let noteId: string;
    beforeAll(async () => {
      notes = await collectionWith('PRIVATE', 'notes');
      const added = await asLearner(owner).collection(notes).add({ data: { text: '我的笔记', _openid: intruder } });
      noteId = added!._id as string;
    });

    it('stamps _openid with the creator on add, whatever the data says', async () => {
      const stored = (await admin().collection(notes).doc(noteId).get()) as { data: Record<string, unknown> };
      expect(stored.data).toMatchObject({ _openid: owner, text: '我的笔记' });
      await expect(asLearner(owner).collection(notes).doc('set-by-owner').set({ data: { text: '另一篇' } })).resolves.toMatchObject({
        stats: { created: 1 },
      });
      const mine = await asLearner(owner).collection(notes).where({ _openid: '{openid}' }).orderBy('text', 'asc').get();
      expect(mine!.data).toEqual([
        expect.objectContaining({ _id: 'set-by-owner', _openid: owner, text: '另一篇' }),
        expect.objectContaining({ _id: noteId, _openid: owner, text: '我的笔记' }),
      ]);
    });

    it('the owner updates the note but cannot hand it to someone else', async () => {
      const db = asLearner(owner);
      await expect(db.collection(notes).doc(noteId).update({ data: { text: '改过' } })).resolves.toMatchObject({ stats: { updated: 1 } });
      await expect(db.collection(notes).doc(noteId).update({ data: { _openid: intruder } })).rejects.toMatchObject(PERMISSION_DENIED);
      await expect(db.collection(notes).doc(noteId).get()).resolves.toMatchObject({ data: { text: '改过', _openid: owner } });
    });

    it('another learner can neither read, update nor remove it', async () => {
      const db = asLearner(intruder);
      await expect(db.collection(notes).doc(noteId).get()).rejects.toMatchObject(PERMISSION_DENIED);
      await expect(db.collection(notes).doc(noteId).update({ data: { text: '篡改' } })).rejects.toMatchObject(PERMISSION_DENIED);
      await expect(db.collection(notes).doc(noteId).set({ data: { text: '篡改' } })).rejects.toMatchObject(PERMISSION_DENIED);
      await expect(db.collection(notes).doc(noteId).remove()).rejects.toMatchObject(PERMISSION_DENIED);
      await expect(db.collection(notes).where({ _id: noteId }).update({ data: { text: '篡改' } })).rejects.toMatchObject(PERMISSION_DENIED);
      // Constrained to their own documents, the bulk update is allowed and touches none of the owner's.
      await expect(db.collection(notes).where({ _openid: '{openid}' }).update({ data: { text: '篡改' } })).resolves.toMatchObject({
        stats: { updated: 0 },
      });
      await expect(asLearner(owner).collection(notes).doc(noteId).get()).resolves.toMatchObject({ data: { text: '改过' } });
    });
  });

  it('a read returns at most 20 documents, the client limit, even when more are asked for', async () => {
    const name = await collectionWith({ read: true, write: false });
    await admin().collection(name).add({ data: Array.from({ length: 25 }, (_v, i) => ({ n: i })) } as never);
    const db = asLearner(learner());
    expect((await db.collection(name).get())!.data).toHaveLength(20);
    expect((await db.collection(name).limit(100).get())!.data).toHaveLength(20);
    expect((await db.collection(name).orderBy('n', 'asc').skip(20).get())!.data.map((d) => (d as { n: number }).n)).toEqual([20, 21, 22, 23, 24]);
    await expect(db.collection(name).count()).resolves.toMatchObject({ total: 25 });
  });

  it("get() reads another document: a course's lessons are readable by its members only", async () => {
    const courses = await collectionWith('ADMINONLY', 'courses');
    const lessons = await collectionWith({ read: `auth.openid in get(\`database.${courses}.\${doc.courseId}\`).members`, write: false }, 'lessons');
    const member = learner();
    await admin().collection(courses).add({ data: { _id: 'c1', members: [member] } });
    await admin().collection(lessons).add({ data: [{ courseId: 'c1', title: '第一课' }, { courseId: 'c2', title: '别的课' }] } as never);
    await expect(asLearner(member).collection(lessons).where({ courseId: 'c1' }).get()).resolves.toMatchObject({ data: [{ title: '第一课' }] });
    await expect(asLearner(learner()).collection(lessons).where({ courseId: 'c1' }).get()).rejects.toMatchObject(PERMISSION_DENIED);
    // Without courseId pinned the rule cannot be checked for every lesson the query could return.
    await expect(asLearner(member).collection(lessons).get()).rejects.toMatchObject(PERMISSION_DENIED);
  });

  it('a range rule accepts queries inside the range only', async () => {
    const name = await collectionWith({ read: 'doc.price > 0 && doc.status != "hidden"', write: false });
    await admin().collection(name).add({ data: { price: 10, status: 'on' } });
    const db = asLearner(learner());
    const _ = db.command;
    await expect(db.collection(name).where({ price: _.gte(5), status: 'on' }).get()).resolves.toMatchObject({ data: [{ price: 10 }] });
    await expect(db.collection(name).where({ price: _.gte(0), status: 'on' }).get()).rejects.toMatchObject(PERMISSION_DENIED);
    await expect(db.collection(name).where({ price: _.gt(0), status: _.neq('hidden') }).get()).resolves.toBeDefined();
    await expect(db.collection(name).where({ price: _.gt(0) }).get()).rejects.toMatchObject(PERMISSION_DENIED);
  });

  it('aggregate and transactions are for cloud functions only', async () => {
    const name = await collectionWith({ read: true, write: true });
    const post = async (action: string, params: Record<string, unknown>) =>
      (await fetch(`${emulatorUrl()}/gateway/database`, {
        method: 'POST',
        body: JSON.stringify({ openid: learner(), action, params: { collectionName: name, ...params } }),
      }).then((r) => r.json())) as { code?: string };
    await expect(post('database.aggregateDocuments', { stages: [] })).resolves.toMatchObject({ code: 'DATABASE_PERMISSION_DENIED' });
    await expect(post('database.startTransaction', {})).resolves.toMatchObject({ code: 'DATABASE_PERMISSION_DENIED' });
    await expect(post('database.getDocument', { transactionId: 'tx', query: '{}' })).resolves.toMatchObject({ code: 'DATABASE_PERMISSION_DENIED' });
  });

  it('refuses a rule that does not parse, naming the problem', async () => {
    await expect(control('POST', '/collections', { name: uniqueName('bad'), rules: { read: 'doc.a === ' } })).rejects.toThrow(/400.*rules of .*read/);
    await expect(control('POST', '/collections', { name: uniqueName('bad'), rules: { read: 'process.exit()' } })).rejects.toThrow(/unknown name .+process/);
  });
});
