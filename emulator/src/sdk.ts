/**
 * The real wx-server-sdk in this process, pointed at an emulator through the variables of its `sdk.env`.
 * The SDK reads them on every request, so they must be in place before the first call.
 */
export function connectSdk(sdkEnv: Record<string, string>): typeof import('wx-server-sdk') {
  Object.assign(process.env, sdkEnv);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cloud = require('wx-server-sdk') as typeof import('wx-server-sdk');
  // The typings declare `env` a string, but the SDK takes this symbol to mean "the calling environment".
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
  return cloud;
}
