/** How the console names the product's codes to a creator. */
import type { Audience, CourseForm, CourseStatus, CourseTier, LessonType } from '@domain/catalog/model';
import { ORDER_STATUS_TEXT, type OrderStatus } from '@domain/orders/model';
import type { IncidentKind } from '@domain/orders/incidents';
import type { Role } from '@domain/staff/roles';

export const ROLE_NAMES: Record<Role, string> = { owner: '店主', editor: '编辑', teacher: '老师', support: '客服' };

/** Fen as yuan, e.g. 19900 → ¥199.00. */
export const yuan = (fen: number | undefined) => (fen === undefined ? '—' : `¥${(fen / 100).toFixed(2)}`);

/** A date (as JSON carries it) in the creator's time, e.g. 2026-12-06 19:30. */
export function when(value: Date | string | undefined): string {
  if (!value) return '—';
  const d = new Date(value);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export const COURSE_STATUS_TEXT: Record<CourseStatus, string> = { draft: '草稿', published: '已上架', offline: '已下架' };
export const FORM_TEXT: Record<CourseForm, string> = { video: '视频课', audio: '音频课', article: '图文课', live: '直播课', camp: '训练营' };
export const TIER_TEXT: Record<CourseTier, string> = { entry: '入门课', advanced: '进阶课' };
export const LESSON_TYPE_TEXT: Record<LessonType, string> = { video: '视频', audio: '音频', article: '图文', live: '直播' };
export const AUDIENCE_TEXT: Record<Audience, string> = { office: '职场人', exam: '考试党', hobby: '兴趣爱好' };

/** A length in seconds as a player shows it, e.g. 754 → 12:34, 3725 → 1:02:05. */
export function clock(seconds: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** What a move of an order's history means, in a creator's words (the stored reason is the program's). */
export function moveText(from: OrderStatus | null, to: OrderStatus): string {
  if (from === null) return '下单';
  if (to === 'paid') return from === 'refundRequested' ? '退款申请被拒绝，学员保留课程' : from === 'refunding' ? '退款未成功，订单恢复为已支付' : from === 'closed' ? '订单关闭后款项到账，照常开通' : '支付成功，已开通';
  if (to === 'needsRefund') return from === 'refunding' ? '退款未成功，仍待退款' : '款项到账但无法开通（金额不符或已拥有），待退款';
  const text: Partial<Record<OrderStatus, string>> = { closed: '订单关闭（取消或超时未支付）', refundRequested: '学员申请退款', refunding: '已向支付平台提交退款', refunded: '支付平台确认退款，学习权限已收回' };
  return text[to] ?? ORDER_STATUS_TEXT[to];
}

/** What went wrong with a payment, for the staff member who resolves it (the incident's detail is technical). */
export const INCIDENT_TEXT: Record<IncidentKind, string> = {
  amountMismatch: '到账金额与订单不符',
  payerMismatch: '付款人与下单学员不符',
  alreadyOwned: '学员已拥有该课程，重复付款',
  unknownOrder: '到账的订单号不存在',
  rejectedNotification: '支付通知未通过核验',
  suspiciousEvent: '可疑的支付通知（支付平台查无此事）',
  wrongRail: '通过另一支付渠道付款',
  secondPayment: '同一订单第二次付款',
  refundFailed: '退款被支付平台拒绝或失败',
  refundMismatch: '退款结果与申请不符',
};
