import { messageOf } from '../../../services/cloud';
import { checkIn, listCheckIns, type CheckInPage } from '../../../services/learning';
import { formatDateTime } from '../../../utils/format';
import { monthCalendar, type CalendarCell } from './calendar';

type CheckInItem = CheckInPage['recent'][number] & { key: string; timeText: string };

type CheckInData = {
  courseId: string;
  status: 'loading' | 'ready' | 'error';
  errorMessage: string;
  checkedInToday: boolean;
  streak: number;
  total: number;
  monthTitle: string;
  calendar: CalendarCell[];
  text: string;
  submitting: boolean;
  recent: CheckInItem[];
};

type CheckInMethods = {
  load(): Promise<void>;
  onRetry(): void;
  onText(e: WechatMiniprogram.CustomEvent<{ value: string }>): void;
  onCheckIn(): Promise<void>;
};

const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];

function show(page: CheckInPage) {
  const [year, month] = page.today.split('-');
  return {
    checkedInToday: page.checkedInToday,
    streak: page.streak,
    total: page.total,
    monthTitle: `${year}年${Number(month)}月`,
    calendar: monthCalendar(page.today, page.monthDays),
    recent: page.recent.map((r, i) => ({ ...r, key: `${r.createdAt}-${i}`, timeText: formatDateTime(r.createdAt) })),
  };
}

Page<CheckInData & { weekdays: string[] }, CheckInMethods>({
  data: {
    courseId: '',
    status: 'loading',
    errorMessage: '',
    checkedInToday: false,
    streak: 0,
    total: 0,
    monthTitle: '',
    calendar: [],
    text: '',
    submitting: false,
    recent: [],
    weekdays: WEEKDAYS,
  },

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ courseId: query.courseId ?? '' });
    void this.load();
  },

  async load() {
    this.setData({ status: 'loading', errorMessage: '' });
    try {
      this.setData({ status: 'ready', ...show(await listCheckIns(this.data.courseId)) });
    } catch (e) {
      this.setData({ status: 'error', errorMessage: messageOf(e) });
    }
  },

  onRetry() {
    void this.load();
  },

  onText(e) {
    this.setData({ text: e.detail.value });
  },

  async onCheckIn() {
    if (this.data.submitting || this.data.checkedInToday) return;
    this.setData({ submitting: true });
    const text = this.data.text.trim();
    try {
      const done = await checkIn({ courseId: this.data.courseId, ...(text ? { text } : {}) });
      void wx.showToast({ title: done.held ? '打卡成功，内容审核后展示' : `打卡成功，已连续 ${done.streak} 天`, icon: 'none' });
      this.setData({ text: '' });
      await this.load();
    } catch (e) {
      void wx.showToast({ title: messageOf(e, '打卡失败，请稍后重试'), icon: 'none' });
    } finally {
      this.setData({ submitting: false });
    }
  },
});
