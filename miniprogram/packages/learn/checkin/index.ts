import { messageOf } from '../../../services/cloud';
import { checkIn, listCheckIns, type CheckInPage } from '../../../services/learning';
import { askAndReport } from '../../../services/reports';
import { askForReminders } from '../../../services/reminders';
import { choosePictures, uploadMine } from '../../../services/uploads';
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
  /** local paths of the pictures to check in with */
  pictures: string[];
  submitting: boolean;
  recent: CheckInItem[];
  /** a camp's task of the day */
  task: CheckInPage['task'] | null;
  /** the learner turned on the camp's reminders from this page */
  reminded: boolean;
};

type CheckInMethods = {
  load(): Promise<void>;
  onRetry(): void;
  onText(e: WechatMiniprogram.CustomEvent<{ value: string }>): void;
  onCheckIn(): Promise<void>;
  onAddPictures(): Promise<void>;
  onRemovePicture(e: WechatMiniprogram.BaseEvent): void;
  onPreview(e: WechatMiniprogram.BaseEvent): void;
  onReport(e: WechatMiniprogram.BaseEvent): void;
  onRemind(): Promise<void>;
};

/** As many pictures as checkInRequest takes. */
const MAX_PICTURES = 9;

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
    task: page.task ?? null,
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
    pictures: [],
    submitting: false,
    recent: [],
    task: null,
    reminded: false,
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
      const imageFileIds = await uploadMine('checkin', this.data.pictures);
      const done = await checkIn({ courseId: this.data.courseId, ...(text ? { text } : {}), ...(imageFileIds.length ? { imageFileIds } : {}) });
      void wx.showToast({ title: done.held ? '打卡成功，内容审核后展示' : `打卡成功，已连续 ${done.streak} 天`, icon: 'none' });
      this.setData({ text: '', pictures: [] });
      await this.load();
    } catch (e) {
      void wx.showToast({ title: messageOf(e, '打卡失败，请稍后重试'), icon: 'none' });
    } finally {
      this.setData({ submitting: false });
    }
  },

  async onAddPictures() {
    const paths = await choosePictures(MAX_PICTURES - this.data.pictures.length);
    this.setData({ pictures: [...this.data.pictures, ...paths] });
  },

  onRemovePicture(e) {
    const { index } = e.currentTarget.dataset as { index: number };
    this.setData({ pictures: this.data.pictures.filter((_, i) => i !== index) });
  },

  onPreview(e) {
    const { src, urls } = e.currentTarget.dataset as { src: string; urls: string[] };
    void wx.previewImage({ current: src, urls });
  },

  onReport(e) {
    const { id } = e.currentTarget.dataset as { id: string };
    void askAndReport('checkin', id);
  },

  /** 开课提醒 beside a camp day's task: WeChat asks from this tap, then the server remembers the course. */
  async onRemind() {
    try {
      if ((await askForReminders(this.data.courseId)) === 'declined') {
        void wx.showToast({ title: '未开启提醒，可在设置中打开订阅消息', icon: 'none' });
        return;
      }
      this.setData({ reminded: true });
      void wx.showToast({ title: '已开启，每天开课前提醒你', icon: 'none' });
    } catch (e) {
      void wx.showToast({ title: messageOf(e, '开启提醒失败，请稍后重试'), icon: 'none' });
    }
  },
});
