/** Reports (举报): the reasons a learner picks from, and the call. */
import type { ReportContentRequest, ReportContentResponse, ReportKind, ReportReason } from '../../domain/contracts/moderation';
import { callFunction, messageOf, type Jsonified } from './cloud';

/** What the action sheet lists, in this order. */
export const REPORT_REASON_LABELS: Array<{ reason: ReportReason; label: string }> = [
  { reason: 'spam', label: '垃圾广告' },
  { reason: 'abuse', label: '辱骂攻击' },
  { reason: 'porn', label: '色情低俗' },
  { reason: 'illegal', label: '违法违规' },
  { reason: 'fraud', label: '诈骗' },
  { reason: 'copyright', label: '侵犯版权' },
  { reason: 'other', label: '其他' },
];

export function reportContent(request: ReportContentRequest): Promise<Jsonified<ReportContentResponse>> {
  return callFunction<ReportContentRequest, ReportContentResponse>('reportContent', request);
}

/** Asks the learner why (an action sheet) and reports the item; tells them how it went. Nothing happens when they cancel. */
export async function askAndReport(kind: ReportKind, id: string): Promise<void> {
  let tapIndex: number;
  try {
    ({ tapIndex } = await wx.showActionSheet({ itemList: REPORT_REASON_LABELS.map((r) => r.label) }));
  } catch {
    return;
  }
  const picked = REPORT_REASON_LABELS[tapIndex];
  if (!picked) return;
  try {
    const done = await reportContent({ kind, id, reason: picked.reason });
    void wx.showToast({ title: done.added ? '已收到举报，我们会尽快处理' : '你已举报过这条内容', icon: 'none' });
  } catch (e) {
    void wx.showToast({ title: messageOf(e, '举报失败，请稍后重试'), icon: 'none' });
  }
}
