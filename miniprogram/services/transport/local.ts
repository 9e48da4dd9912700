/**
 * The transport of DevTools on the local cloud: every call goes to the emulator's client gateway (README,
 * "The emulator") over `wx.request`, as the learner the developer picked. What differs from a phone: the pay
 * sheet and the subscription dialog are modals of ours, and the emulator's sandboxes settle what the learner
 * answers; `cloud://` file IDs in replies become the emulator's temporary URLs (DevTools' `<image>` would
 * look them up in WeChat's cloud), and turn back into file IDs in what the app sends.
 */
import type { RequestVirtualPaymentParams } from '../../../domain/payments/provider';
import type { PlatformFailure, Transport } from './contract';
import type { LocalSetup } from './local-config';

type Json = Record<string, unknown>;

/** The gateway refused the call itself (a malformed request): CloudBase's "invalid call" family. */
const REFUSED = -501000;

const isCloudId = (v: unknown): v is string => typeof v === 'string' && v.startsWith('cloud://');

/** Every string of `value` (deeply) that `pick` selects. */
function stringsIn(value: unknown, pick: (s: unknown) => boolean, found = new Set<string>()): Set<string> {
  if (pick(value)) found.add(value as string);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) stringsIn(v, pick, found);
  return found;
}

/** `value` with the strings `swap` knows replaced (a copy; the rest as it is). */
function swapped(value: unknown, swap: Map<string, string>): unknown {
  if (typeof value === 'string') return swap.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => swapped(v, swap));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swapped(v, swap)]));
  return value;
}

export function localTransport(setup: LocalSetup): Transport {
  const { openid } = setup.learner;
  /** temporary URL → the file ID it stands for, to send file IDs back as the server expects them */
  const fileIdOfUrl = new Map<string, string>();

  function post(api: string, path: string, body: Json | ArrayBuffer, binary = false): Promise<Json> {
    return new Promise((resolve, reject) => {
      wx.request({
        url: `${setup.gateway}${path}`,
        method: 'POST',
        data: body as WechatMiniprogram.IAnyObject,
        header: { 'content-type': binary ? 'application/octet-stream' : 'application/json' },
        // A function may run up to 60 s (config.json timeout), as long as WeChat waits for one.
        timeout: 60_000,
        success: ({ statusCode, data }) =>
          statusCode === 200 && data && typeof data === 'object'
            ? resolve(data as Json)
            : reject({ errCode: REFUSED, errMsg: `${api}:fail the local gateway answered ${statusCode}: ${JSON.stringify(data)}` } satisfies PlatformFailure),
        // No errCode: the network (the emulator is not running, or not reachable from DevTools).
        fail: ({ errMsg }) => reject({ errMsg: `${api}:fail ${errMsg} (is npm start running at ${setup.gateway}?)` } satisfies PlatformFailure),
      });
    });
  }

  /** Rejects with the gateway's `errCode`/`errMsg` when it answered a failure, as WeChat's API would. */
  const checked = (reply: Json): Json => {
    if (typeof reply.errCode === 'number' || (typeof reply.errMsg === 'string' && !reply.errMsg.endsWith(':ok'))) {
      throw { errCode: typeof reply.errCode === 'number' ? reply.errCode : -1, errMsg: String(reply.errMsg) } satisfies PlatformFailure;
    }
    return reply;
  };

  async function tempUrls(fileIds: string[]): Promise<Map<string, string>> {
    const { fileList } = checked(await post('cloud.getTempFileURL', '/gateway/storage/getTempFileURL', { openid, fileList: fileIds })) as { fileList: Array<{ fileID: string; tempFileURL?: string; status: number }> };
    return new Map(fileList.filter((f) => f.status === 0 && f.tempFileURL).map((f) => [f.fileID, f.tempFileURL!]));
  }

  /** The reply with its file IDs made loadable; a file the learner may not read keeps its ID. */
  async function loadable(result: unknown): Promise<unknown> {
    const ids = [...stringsIn(result, isCloudId)];
    if (!ids.length) return result;
    const urls = await tempUrls(ids).catch(() => new Map<string, string>());
    for (const [id, url] of urls) fileIdOfUrl.set(url, id);
    return swapped(result, urls);
  }

  /** Asks on a modal of ours what WeChat's sheet or dialog would; false when the developer cancels. */
  const ask = async (title: string, content: string, confirmText: string) => (await wx.showModal({ title, content, confirmText, cancelText: '取消' })).confirm;

  async function pay(api: 'requestPayment' | 'requestVirtualPayment', body: Json) {
    if (!(await ask('本地支付沙箱', '本地云的模拟支付，不会真的扣款。', '支付'))) throw { errCode: -2, errMsg: `${api}:fail cancel` } satisfies PlatformFailure;
    checked(await post(api, `/gateway/${api}`, { ...body, openid }));
  }

  return {
    local: setup,
    async callFunction(name, data) {
      const reply = checked(await post('cloud.callFunction', '/gateway/callFunction', { name, openid, data: swapped(data, fileIdOfUrl) as Json }));
      return loadable(reply.result);
    },
    async uploadFile(cloudPath, filePath) {
      const bytes = wx.getFileSystemManager().readFileSync(filePath) as ArrayBuffer;
      const query = `openid=${encodeURIComponent(openid)}&cloudPath=${encodeURIComponent(cloudPath)}`;
      return String(checked(await post('cloud.uploadFile', `/gateway/storage/uploadFile?${query}`, bytes, true)).fileID);
    },
    async tempFileUrl(fileId) {
      const url = (await tempUrls([fileId])).get(fileId);
      if (!url) throw { errMsg: `getTempFileURL:fail ${fileId} cannot be read by ${openid}` } satisfies PlatformFailure;
      return url;
    },
    requestPayment: (payment) => pay('requestPayment', { payment }),
    requestVirtualPayment: (params: RequestVirtualPaymentParams) => pay('requestVirtualPayment', { ...params }),
    async requestSubscribeMessage(tmplIds) {
      const accept = await ask('订阅消息（本地云）', `允许发送这些通知吗？\n${tmplIds.join('、')}`, '允许');
      return checked(await post('requestSubscribeMessage', '/gateway/subscribeMessage', { openid, tmplIds, accept })) as Record<string, string>;
    },
    async login() {
      return String(checked(await post('login', '/gateway/login', { openid })).code);
    },
  };
}
