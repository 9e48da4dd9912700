/** What every transport does (index.ts picks one per launch). */
import type { RequestPaymentParams, RequestVirtualPaymentParams } from '../../../domain/payments/provider';
import type { LocalSetup } from './local-config';

/** A failure as WeChat's APIs reject: `errMsg`, and `errCode` when the platform gave one. */
export interface PlatformFailure {
  errCode?: number;
  errMsg: string;
}

export interface Transport {
  /** The local setup in use; undefined on WeChat's cloud. */
  readonly local?: LocalSetup;
  /** The function's reply (`result`), or rejects with a `PlatformFailure`. */
  callFunction(name: string, data: object): Promise<unknown>;
  /** Uploads a local file to `cloudPath`; answers its file ID. */
  uploadFile(cloudPath: string, filePath: string): Promise<string>;
  /** A URL that loads the cloud file `fileId` (for a canvas, which cannot load `cloud://`). */
  tempFileUrl(fileId: string): Promise<string>;
  requestPayment(params: RequestPaymentParams): Promise<void>;
  requestVirtualPayment(params: RequestVirtualPaymentParams): Promise<void>;
  /** The learner's answer per template id ('accept', 'reject'...). */
  requestSubscribeMessage(tmplIds: string[]): Promise<Record<string, string>>;
  /** A fresh `wx.login` code. */
  login(): Promise<string>;
}
