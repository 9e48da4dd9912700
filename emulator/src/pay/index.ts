import type { ServerResponse } from 'node:http';
import * as z from 'zod/mini';
import { CloudBaseError, invalidParam } from '../errors';
import type { EmulatorContext, Route, RouteRequest, Service } from '../service';
import { CloudPay, SandboxError } from './cloudpay';
import { cloudPayConfig, virtualPaymentConfig } from './config';
import { Ledger } from './ledger';
import { Notifier } from './notify';
import { sessionKeyFor, VirtualPayment } from './virtual';
import { WeixinAccounts } from './weixin';

/** How the learner's payment is notified; see README "Sandbox controls". */
const deliverySchema = z.object({
  duplicates: z.optional(z.int().check(z.nonnegative(), z.lte(20))),
  delayMs: z.optional(z.int().check(z.nonnegative())),
  deliver: z.optional(z.boolean()),
});
const paySchema = z.extend(deliverySchema, { force: z.optional(z.boolean()) });

function json(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function bodyOf<T>(request: RouteRequest, schema: z.ZodMiniType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(request.body.toString('utf8') || '{}');
  } catch {
    throw new SandboxError(400, 'request body must be JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new SandboxError(400, z.prettifyError(parsed.error));
  return parsed.data;
}

function route(method: Route['method'], path: RegExp, handle: (request: RouteRequest) => Promise<unknown>): Route {
  return {
    method,
    path,
    async handle(request, res) {
      try {
        json(res, 200, await handle(request));
      } catch (e) {
        if (!(e instanceof SandboxError)) throw e;
        json(res, e.status, { error: e.message });
      }
    },
  };
}

const openidSchema = z.string().check(z.minLength(1));

/** The cloud pay APIs the sandbox serves: the calls fault injection may fail. */
const CLOUD_PAY_APIS = new Set(['unifiedOrder', 'queryOrder', 'closeOrder', 'refund', 'queryRefund']);
/** How WeChat's server APIs answer when they fail inside. */
const WX_SYSTEM_ERROR = { errcode: -1, errmsg: 'system error' };

/**
 * The payment sandboxes: cloud pay (`wx.wxPayApi`, `wx.requestPayment`) and mini-program virtual payment
 * (`wx.requestVirtualPayment`, `xpay/query_order`, `xpay/refund_order`, with the `wx.login` /
 * `jscode2session` / `stable_token` they rely on), their sandbox controls, and one ledger of both. The
 * functions `virtualPayment.functionsWithKeys` names get the sandbox's credentials as environment
 * variables, as the console's would hold the real ones.
 */
export function payService(ctx: EmulatorContext): Service {
  const ledger = new Ledger(ctx.store);
  const notifier = new Notifier(ledger);
  const cloudPay = new CloudPay(ctx, ledger, notifier, cloudPayConfig(ctx));
  const vpConfig = virtualPaymentConfig(ctx);
  const virtual = vpConfig && new VirtualPayment(ctx, ledger, notifier, vpConfig);
  const accounts = vpConfig && new WeixinAccounts(ctx.appId, vpConfig.appSecret);
  const needVirtual = () => {
    if (!virtual || !accounts) throw new SandboxError(501, 'virtual payment is not configured: add "virtualPayment" to cloud.config.json');
    return { virtual, accounts };
  };
  if (vpConfig) {
    const credentials = { MP_APP_ID: ctx.appId, MP_APP_SECRET: vpConfig.appSecret, XPAY_APP_KEY: vpConfig.appKey, WECHAT_API_ORIGIN: ctx.url };
    for (const name of vpConfig.functionsWithKeys) ctx.runtime.addEnvironment(name, credentials);
  }
  /** A server API call: the access_token first, as WeChat checks it, then the API itself. */
  const serverApi = (handle: (virtual: VirtualPayment, body: string, paySig: string | null) => Promise<unknown> | unknown) => async ({ url, body }: RouteRequest) => {
    const { virtual, accounts } = needVirtual();
    return accounts.tokenError(url.searchParams.get('access_token')) ?? handle(virtual, body.toString('utf8'), url.searchParams.get('pay_sig'));
  };
  /** A WeChat server API a function calls over HTTP: counted, and failed as fault injection decides. */
  const provider = (api: string, handle: (request: RouteRequest) => Promise<unknown>) => async (request: RouteRequest) => {
    needVirtual();
    return ctx.faults.providerCall(api, () => handle(request), () => WX_SYSTEM_ERROR);
  };

  return {
    actions: {
      'wx.wxPayApi': async ({ params, invocationId }) => {
        const apiName = String(params.apiName ?? '');
        // Scripts and tests may drive the sandbox directly; a function needs the API in its config.json.
        // wx-server-sdk surfaces only CloudBase-level errors from cloud pay (as -501001 with the message).
        if (ctx.runtime.openApiPermission(invocationId, `cloudPay.${apiName}`) === 'denied') {
          throw new CloudBaseError(
            'OPENAPI_PERMISSION_DENIED',
            `function has no permission to call this API (-604101): cloudPay.${apiName} is not in permissions.openapi of its config.json`,
          );
        }
        const raw = params.requestData;
        let data: unknown;
        try {
          data = JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw ?? ''));
        } catch {
          throw invalidParam('requestData must be JSON');
        }
        if (!data || typeof data !== 'object' || Array.isArray(data)) throw invalidParam('requestData must be a JSON object');
        const call = () => cloudPay.api(apiName, data as Record<string, unknown>, invocationId);
        const answer = CLOUD_PAY_APIS.has(apiName) ? await ctx.faults.providerCall(`cloudPay.${apiName}`, call, () => cloudPay.systemError()) : await call();
        // Raw bytes: the SDK parses JSON itself, and fails on exactly 'application/json; charset=utf-8'.
        return { raw: Buffer.from(JSON.stringify(answer)), contentType: 'application/json' };
      },
    },
    routes: [
      route('POST', /^\/gateway\/requestPayment$/, async (request) => {
        const { openid, payment, sandbox } = bodyOf(
          request,
          z.object({ openid: openidSchema, payment: z.record(z.string(), z.unknown()), sandbox: z.optional(deliverySchema) }),
        );
        return cloudPay.requestPayment(openid, payment, sandbox ?? {});
      }),
      route('POST', /^\/gateway\/requestVirtualPayment$/, async (request) => {
        const { sandbox, ...call } = bodyOf(
          request,
          z.object({
            openid: openidSchema,
            mode: z.unknown(),
            signData: z.unknown(),
            paySig: z.unknown(),
            signature: z.unknown(),
            sandbox: z.optional(deliverySchema),
          }),
        );
        return needVirtual().virtual.request(call, sandbox ?? {});
      }),
      route('POST', /^\/gateway\/login$/, async (request) => needVirtual().accounts.login(bodyOf(request, z.object({ openid: openidSchema })).openid)),
      route(
        'GET',
        /^\/sns\/jscode2session$/,
        provider('sns/jscode2session', async ({ url }) => needVirtual().accounts.code2Session(url.searchParams)),
      ),
      route(
        'POST',
        /^\/cgi-bin\/stable_token$/,
        provider('cgi-bin/stable_token', async (request) => needVirtual().accounts.stableToken(bodyOf(request, z.record(z.string(), z.unknown())))),
      ),
      route('POST', /^\/__emulator\/pay\/trades\/([^/]+)\/pay$/, (request) =>
        cloudPay.pay(decodeURIComponent(request.match[1]!), bodyOf(request, paySchema)),
      ),
      route('POST', /^\/__emulator\/pay\/refunds\/([^/]+)\/complete$/, (request) =>
        cloudPay.completeRefund(decodeURIComponent(request.match[1]!), bodyOf(request, z.extend(deliverySchema, { fail: z.optional(z.boolean()) }))),
      ),
      route('GET', /^\/__emulator\/pay\/ledger$/, async () => ({
        trades: ledger.list('trades'),
        refunds: ledger.list('refunds'),
        virtualOrders: ledger.list('virtualOrders'),
        virtualRefunds: ledger.list('virtualRefunds'),
        deliveries: ledger.list('deliveries').sort((a, b) => a.createdAt - b.createdAt),
      })),
      route('GET', /^\/__emulator\/xpay\/session-key$/, async ({ url }) => {
        const openid = url.searchParams.get('openid');
        if (!openid) throw new SandboxError(400, 'openid is required');
        return { openid, sessionKey: sessionKeyFor(ctx.appId, openid) };
      }),
      route('POST', /^\/xpay\/query_order$/, provider('xpay/query_order', serverApi((virtual, body, paySig) => virtual.queryOrder(body, paySig)))),
      route('POST', /^\/xpay\/refund_order$/, provider('xpay/refund_order', serverApi((virtual, body, paySig) => virtual.refundOrder(body, paySig)))),
      route('POST', /^\/__emulator\/xpay\/refunds\/([^/]+)\/complete$/, (request) =>
        needVirtual().virtual.completeRefund(decodeURIComponent(request.match[1]!), bodyOf(request, z.extend(deliverySchema, { fail: z.optional(z.boolean()) }))),
      ),
    ],
    async close() {
      notifier.close();
      cloudPay.close();
      virtual?.close();
    },
  };
}
