import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModule, newLearner } from '../support/miniprogram';

/** `wx.cloud` storage as a page calls it, as far as this test uses it. */
interface WxCloudStorage {
  uploadFile(param: { cloudPath: string; filePath: string }): Promise<{ fileID: string; errMsg: string }>;
  getTempFileURL(param: { fileList: string[] }): Promise<{ fileList: Array<{ tempFileURL: string; status: number }> }>;
  deleteFile(param: { fileList: string[]; success(res: unknown): void }): void;
}

const wxCloud = () => (globalThis as unknown as { wx: { cloud: WxCloudStorage } }).wx.cloud;

/** What an `<image>` or `<video>` fetching the temp URL receives. */
const download = (url: string) =>
  new Promise<string>((done, fail) => {
    get(encodeURI(url), (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    }).on('error', fail);
  });

describe('wx.cloud storage in the mini-program harness', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zhishi-upload-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("uploads a learner's homework, reads it back by temp URL, and keeps them out of another's folder", async () => {
    const openid = newLearner();
    loadModule('services/cloud', { openid });
    const cloud = wxCloud();
    const filePath = join(dir, 'essay.txt');
    writeFileSync(filePath, '第一次作业：学习心得');

    const uploaded = await cloud.uploadFile({ cloudPath: `homework/${openid}/essay.txt`, filePath });
    expect(uploaded).toMatchObject({ errMsg: 'cloud.uploadFile:ok', fileID: expect.stringMatching(new RegExp(`^cloud://.+/homework/${openid}/essay\\.txt$`)) });
    const { fileList } = await cloud.getTempFileURL({ fileList: [uploaded.fileID] });
    expect(fileList[0]!.status).toBe(0);
    expect(await download(fileList[0]!.tempFileURL)).toBe('第一次作业：学习心得');

    await expect(cloud.uploadFile({ cloudPath: `homework/${newLearner()}/essay.txt`, filePath })).rejects.toMatchObject({
      errCode: -503002,
      errMsg: expect.stringContaining('cloud.uploadFile:fail'),
    });

    const deleted = await new Promise((success) => cloud.deleteFile({ fileList: [uploaded.fileID], success }));
    expect(deleted).toMatchObject({ errMsg: 'cloud.deleteFile:ok', fileList: [{ fileID: uploaded.fileID, status: 0 }] });
  });
});
