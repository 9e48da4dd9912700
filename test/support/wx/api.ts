/** How the harness's wx APIs answer, as WeChat's do. */
/** The callbacks every asynchronous wx API takes. */
export interface Callbacks {
  success?: (res: unknown) => void;
  fail?: (err: unknown) => void;
  complete?: (res: unknown) => void;
}

export interface ApiParam extends Callbacks {
  [key: string]: unknown;
}

/** Runs a wx-style async API: callbacks if any were given, a promise otherwise (WeChat's convention). */
export function asyncApi(param: Callbacks | undefined, work: Promise<unknown>): Promise<unknown> | undefined {
  const { success, fail, complete } = param ?? {};
  if (!success && !fail && !complete) return work;
  work.then(
    (res) => {
      success?.(res);
      complete?.(res);
    },
    (err: unknown) => {
      fail?.(err);
      complete?.(err);
    },
  );
  return undefined;
}
