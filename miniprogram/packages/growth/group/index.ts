import { messageOf, ServiceError } from '../../../services/cloud';
import { getGroup, groupPath, type GroupView } from '../../../services/groups';
import { purchase, type PurchaseHolder } from '../../../services/purchase';
import { formatCountdown, formatDateTime, formatPrice } from '../../../utils/format';

/**
 * Cloud pay notifies the backend on its own: the group opens (or the seat is taken) a moment after
 * `wx.requestPayment` resolved. The page asks this many times, this far apart, before showing what it reads.
 */
const ATTEMPTS = 5;
const DELAY_MS = 800;

type GroupStatus = GroupView['status'];

/** Each status in the words learners read (domain/groups/model.ts GROUP_STATUS_TEXT), and its tag's theme. */
const GROUP_STATUS: Record<GroupStatus, { label: string; theme: 'warning' | 'success' | 'default' }> = {
  open: { label: '拼团中', theme: 'warning' },
  complete: { label: '拼团成功', theme: 'success' },
  failed: { label: '拼团失败', theme: 'default' },
};

/** What the page says under the status: the seats left, or what the end of the group means for the viewer. */
function stateText({ status, seatsLeft, viewer }: GroupView): string {
  switch (status) {
    case 'open':
      return `还差 ${seatsLeft} 人成团`;
    case 'complete':
      return viewer.member ? '课程已开通，快去学习吧' : '已成团';
    case 'failed':
      // The refund may still be under way at the provider: the order page tells when it is done.
      return viewer.member ? '款项将原路退回' : '未在时限内成团';
  }
}

type GroupData = {
  status: 'loading' | 'ready' | 'error';
  errorMessage: string;
  /** the group does not exist: retrying cannot help */
  notFound: boolean;
  groupId: string;
  group: GroupView | null;
  priceText: string;
  sizeText: string;
  statusLabel: string;
  statusTheme: string;
  /** 还差 N 人成团, 课程已开通, 款项将原路退回 (after the status: 拼团中, 拼团成功, 拼团失败) */
  stateText: string;
  /** mm:ss or hh:mm:ss until the group's window ends, while it is open */
  countdownText: string;
  /** when the window ends (or ended), in the learner's time zone */
  endText: string;
  members: Array<{ key: string; nickname: string; avatarUrl: string; leader: boolean }>;
  /** one placeholder per empty seat */
  emptySeats: number[];
  /** the viewer holds a seat */
  member: boolean;
  canJoin: boolean;
  /** why the viewer cannot take a seat, in the server's words ('' when they can) */
  why: string;
  /** a purchase is under way: further taps on 立即参团 do nothing */
  purchasing: boolean;
};

type GroupMethods = {
  load(): Promise<void>;
  show(group: GroupView): void;
  tick(): void;
  stopTicking(): void;
  /** waits `ms`, unless the learner leaves first (then never resolves) */
  wait(ms: number): Promise<void>;
  onRetry(): void;
  onGoHome(): void;
  onJoin(): Promise<void>;
  onStudy(): void;
  onCourse(): void;
  onOrder(): void;
  /** the countdown's interval, cleared when the page is hidden or unloaded */
  ticker: number | undefined;
  /** the delay between two reads, cleared when the learner leaves */
  timer: number | undefined;
  /** set when the learner left the page: coming back reads the group again */
  hidden: boolean;
} & PurchaseHolder;

Page<GroupData, GroupMethods>({
  data: {
    status: 'loading',
    errorMessage: '',
    notFound: false,
    groupId: '',
    group: null,
    priceText: '',
    sizeText: '',
    statusLabel: '',
    statusTheme: 'default',
    stateText: '',
    countdownText: '',
    endText: '',
    members: [],
    emptySeats: [],
    member: false,
    canJoin: false,
    why: '',
    purchasing: false,
  },

  purchaseKey: '',
  purchaseOf: '',
  ticker: undefined,
  timer: undefined,
  hidden: false,

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ groupId: query.id ?? '' });
    void this.load();
  },

  onShow() {
    if (!this.hidden) return;
    this.hidden = false;
    void this.load();
  },

  onHide() {
    this.hidden = true;
    this.stopTicking();
    if (this.timer !== undefined) clearTimeout(this.timer);
  },

  onUnload() {
    this.stopTicking();
    if (this.timer !== undefined) clearTimeout(this.timer);
  },

  async onPullDownRefresh() {
    await this.load();
    wx.stopPullDownRefresh();
  },

  /**
   * Reads the group. A leader arrives here right after paying, maybe before the payment opened the group:
   * a group not found yet is asked for again a few times before the page says it does not exist.
   */
  async load() {
    if (this.data.status !== 'ready') this.setData({ status: 'loading', errorMessage: '' });
    for (let attempt = 0; ; attempt++) {
      try {
        this.show(await getGroup(this.data.groupId));
        return;
      } catch (e) {
        const notFound = e instanceof ServiceError && e.code === 'NOT_FOUND';
        if (notFound && attempt + 1 < ATTEMPTS) {
          await this.wait(DELAY_MS);
          continue;
        }
        if (this.data.status === 'ready') void wx.showToast({ title: messageOf(e), icon: 'none' });
        else this.setData({ status: 'error', errorMessage: notFound ? '拼团不存在' : messageOf(e), notFound });
        return;
      }
    }
  },

  show(group) {
    const { label, theme } = GROUP_STATUS[group.status];
    const open = group.status === 'open';
    this.setData({
      status: 'ready',
      group,
      priceText: formatPrice(group.amount),
      sizeText: `${group.size} 人团`,
      statusLabel: label,
      statusTheme: theme,
      stateText: stateText(group),
      endText: open ? `${formatDateTime(group.expiresAt)} 结束` : '',
      members: group.members.map((m, i) => ({ key: `${i}`, nickname: m.nickname, avatarUrl: m.avatarUrl ?? '', leader: m.leader })),
      emptySeats: open ? Array.from({ length: group.seatsLeft }, (_, i) => i) : [],
      member: group.viewer.member,
      canJoin: group.viewer.canJoin,
      // A member reads why only while the group is open (the leader looking for a seat of their own).
      why: group.viewer.canJoin || (group.viewer.member && !open) ? '' : (group.viewer.why ?? ''),
    });
    void wx.setNavigationBarTitle({ title: label });
    this.stopTicking();
    if (open && !this.hidden) {
      this.tick();
      this.ticker = setInterval(() => this.tick(), 1000) as unknown as number;
    } else this.setData({ countdownText: '' });
  },

  /**
   * One second of the countdown. At the end of the window nobody may join any more; the settleGroups timer
   * fails a group still short within a minute, which the next read (pull down, coming back) shows.
   */
  tick() {
    const { group } = this.data;
    if (!group) return;
    const left = new Date(group.expiresAt).getTime() - Date.now();
    this.setData({ countdownText: formatCountdown(group.expiresAt) });
    if (left <= 0) {
      this.stopTicking();
      this.setData({ canJoin: false, why: this.data.why || '拼团已结束' });
    }
  },

  stopTicking() {
    if (this.ticker !== undefined) clearInterval(this.ticker);
    this.ticker = undefined;
  },

  wait(ms) {
    return new Promise<void>((done) => (this.timer = setTimeout(done, ms) as unknown as number));
  },

  onRetry() {
    void this.load();
  },

  onGoHome() {
    void wx.switchTab({ url: '/pages/home/index' });
  },

  /** Pays for a seat at the group's price, then reads the group again until the seat shows. */
  async onJoin() {
    const { group, canJoin, purchasing, priceText } = this.data;
    if (!group || !canJoin || purchasing) return;
    this.setData({ purchasing: true });
    try {
      const outcome = await purchase(
        this,
        { courseId: group.courseId, groupId: group.id },
        {
          title: `参团 ${priceText}`,
          content: `以拼团价购买《${group.title}》。${group.size} 人成团后即可学习；未在时限内成团将自动原路退款。`,
        },
      );
      if (outcome.status === 'stopped') {
        // e.g. the last seat was taken meanwhile: show the group as it is now.
        if (outcome.code) void this.load();
        return;
      }
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        if (attempt > 0) await this.wait(DELAY_MS);
        const read = await getGroup(group.id).catch(() => null);
        if (!read) continue;
        this.show(read);
        if (read.viewer.member || read.status !== 'open') break;
      }
      const now = this.data.group;
      const title = now?.viewer.member
        ? now.status === 'complete'
          ? '拼团成功'
          : '参团成功'
        : now && now.status !== 'open'
          ? // The seat went to someone else meanwhile: the payment is refunded by itself (the order says why).
            '未能参团，款项将原路退回'
          : '支付确认中，请稍后刷新';
      void wx.showToast({ title, icon: 'none' });
    } finally {
      this.setData({ purchasing: false });
    }
  },

  onStudy() {
    this.onCourse();
  },

  onCourse() {
    const { group } = this.data;
    if (group) void wx.navigateTo({ url: `/packages/course/detail/index?id=${group.courseId}` });
  },

  onOrder() {
    const orderId = this.data.group?.viewer.orderId;
    if (orderId) void wx.navigateTo({ url: `/packages/order/detail/index?id=${orderId}` });
  },

  onShareAppMessage() {
    const { group, groupId } = this.data;
    const path = groupPath(group?.id ?? groupId);
    if (!group) return { title: '一起拼团学好课', path };
    const title = group.status === 'open' ? `还差 ${group.seatsLeft} 人，${formatPrice(group.amount)} 一起学《${group.title}》` : `一起学《${group.title}》`;
    return { title, path, ...(group.cover ? { imageUrl: group.cover } : {}) };
  },
});
