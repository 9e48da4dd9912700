import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchEmulator } from '../../emulator/src/launcher';
import { callAs, connectSdk, control, emulatorUrl, uniqueName } from '../support/sdk';

/** The inspection page, the JSON it reads, and the console output kept on each invocation. */
const { cloud } = connectSdk();

interface Invocation {
  id: string;
  functionName: string;
  openid?: string;
  coldStart: boolean;
  durationMs?: number;
  status: string;
  dbRequests: number;
  error?: string;
  logs: Array<{ level: string; message: string; at: number }>;
  logsTruncated: boolean;
}

const get = async (path: string) => {
  const res = await fetch(`${emulatorUrl()}${path}`);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};

describe('inspection page', () => {
  it('serves one self-contained HTML page with every section', async () => {
    for (const path of ['/__emulator/', '/__emulator']) {
      const page = await get(path);
      expect(page.status).toBe(200);
      expect(page.type).toMatch(/^text\/html/);
      for (const section of ['Collections', 'Recent function invocations', 'Pay sandbox ledger', 'Message outbox', 'Storage files', 'Timers']) {
        expect(page.text).toContain(section);
      }
      // No external assets: it must open on a machine without internet.
      expect(page.text).not.toMatch(/(src|href)="(https?:)?\/\//);
    }
  });

  it("pages through a collection's documents as EJSON, with its security rules", async () => {
    const name = uniqueName('inspect');
    await control('POST', '/collections', { name, rules: 'READONLY' });
    await cloud.database().collection(name).add({ data: Array.from({ length: 25 }, (_v, i) => ({ _id: `d${String(i).padStart(2, '0')}`, n: i, at: new Date('2026-03-01T08:00:00.000Z') })) } as never);

    const page = JSON.parse((await get(`/__emulator/collections/${name}/documents?offset=20&limit=10`)).text) as Record<string, unknown>;
    expect(page).toMatchObject({ collection: name, total: 25, offset: 20, limit: 10, rules: 'READONLY' });
    expect(page.documents).toEqual(['d20', 'd21', 'd22', 'd23', 'd24'].map((_id, i) => ({ _id, n: 20 + i, at: { $date: expect.stringMatching(/^2026-03-01T08:00:00(\.000)?Z$/) } })));
    expect(JSON.parse((await get(`/__emulator/collections/${name}/documents`)).text)).toMatchObject({ offset: 0, limit: 20 });
    expect((await get('/__emulator/collections/no_such_collection/documents')).status).toBe(404);
    expect((await get(`/__emulator/collections/${name}/documents?limit=-1`)).status).toBe(400);
  });

  it('lists the latest invocations, newest first, with their console output', async () => {
    const first = await callAs('o-inspect', 'inspect-logger', { tag: '第一次' });
    const second = await callAs('o-inspect', 'inspect-logger', { tag: '第二次' });
    const list = JSON.parse((await get('/__emulator/invocations?limit=2')).text) as Invocation[];
    expect(list.map((r) => r.id)).toEqual([second.invocationId, first.invocationId]);
    expect(list[0]).toMatchObject({ functionName: 'inspect-logger', openid: 'o-inspect', coldStart: false, status: 'ok', dbRequests: 0 });
    expect(list[0].durationMs).toEqual(expect.any(Number));
    expect(list[0].logs.map(({ level, message }) => ({ level, message }))).toEqual([
      { level: 'log', message: '开始处理 第二次 { step: 1 }' },
      { level: 'info', message: 'info line' },
      { level: 'warn', message: 'warn line' },
      { level: 'error', message: 'error line\nsecond line' },
    ]);
    expect(list[0].logsTruncated).toBe(false);
  });

  it('keeps the logs of a failed invocation beside its error, and bounds a chatty one', async () => {
    const failed = await callAs('o-inspect', 'inspect-logger', { tag: '失败', fail: true });
    const record = await control<Invocation>('GET', `/invocations/${failed.invocationId}`);
    expect(record).toMatchObject({ status: 'error', error: expect.stringContaining('failed after logging (失败)') });
    expect(record.logs.map((l) => l.level)).toEqual(['log', 'info', 'warn', 'error']);

    const chatty = await callAs('o-inspect', 'inspect-logger', { tag: 'chatty', lines: 500 });
    const bounded = await control<Invocation>('GET', `/invocations/${chatty.invocationId}`);
    expect(bounded.logsTruncated).toBe(true);
    expect(bounded.logs.length).toBeLessThanOrEqual(100);
    expect(bounded.logs.reduce((sum, l) => sum + l.message.length, 0)).toBeLessThanOrEqual(16_384);
    expect(bounded.logs[0].message).toBe('开始处理 chatty { step: 1 }');
  });

  it("echoes a function's console output to the emulator's own output, prefixed with its name", async () => {
    const work = mkdtempSync(join(tmpdir(), 'zhishi-inspect-'));
    const emulator = await launchEmulator({
      dataDir: join(work, 'data'),
      noDemo: true,
      functionsDirs: [resolve(__dirname, '../fixtures/cloudfunctions')],
    });
    try {
      let output = '';
      emulator.process.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      emulator.process.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await fetch(`${emulator.url}/gateway/callFunction`, {
        method: 'POST',
        body: JSON.stringify({ name: 'inspect-logger', openid: 'o-echo', data: { tag: 'echo' } }),
      });
      for (let i = 0; i < 50 && !output.includes('second line'); i++) await new Promise((r) => setTimeout(r, 20));
      expect(output).toContain('[inspect-logger] 开始处理 echo { step: 1 }');
      expect(output).toContain('[inspect-logger] error line\n[inspect-logger] second line');
    } finally {
      await emulator.stop();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
