/** The transport of a phone (and of DevTools without a local setup): WeChat's own APIs. */
import type { RequestVirtualPaymentParams } from '../../../domain/payments/provider';
import type { Transport } from './contract';

/** `wx.requestVirtualPayment` has no promise style; `signData` goes on as the very string the server signed. */
function requestVirtualPayment({ signData, ...rest }: RequestVirtualPaymentParams): Promise<void> {
  return new Promise((success, fail) =>
    wx.requestVirtualPayment({ ...rest, signData: signData as unknown as WechatMiniprogram.SignData, success: () => success(), fail }),
  );
}

export const wechatTransport: Transport = {
  async callFunction(name, data) {
    return (await wx.cloud.callFunction({ name, data: data as ICloud.CallFunctionData })).result;
  },
  async uploadFile(cloudPath, filePath) {
    return (await wx.cloud.uploadFile({ cloudPath, filePath })).fileID;
  },
  async tempFileUrl(fileId) {
    const { fileList } = await wx.cloud.getTempFileURL({ fileList: [fileId] });
    const url = fileList[0]?.tempFileURL;
    if (!url) throw { errMsg: `getTempFileURL:fail ${fileList[0]?.errMsg ?? 'no URL'}` };
    return url;
  },
  async requestPayment(params) {
    await wx.requestPayment({ ...params, signType: params.signType as WechatMiniprogram.RequestPaymentOption['signType'] });
  },
  requestVirtualPayment,
  async requestSubscribeMessage(tmplIds) {
    // The typings leave out the per-template answers WeChat puts beside errMsg.
    return (await wx.requestSubscribeMessage({ tmplIds })) as unknown as Record<string, string>;
  },
  async login() {
    return (await wx.login()).code;
  },
};
