import { listMessages, type InboxMessage } from '../../../services/messages';
import { formatDateTime } from '../../../utils/format';
import { reloadHooks, reloadWhenShownAgain } from '../../../utils/loading';
import { pagedList, type PagedListMethods } from '../../../utils/paging';

type MessageItem = InboxMessage & { timeText: string };

type MessagesData = {
  status: 'loading' | 'ready' | 'error';
  errorMessage: string;
  messages: MessageItem[];
  page: number;
  hasMore: boolean;
  loadingMore: boolean;
};

type MessagesMethods = PagedListMethods & {
  onRetry(): void;
  onMessageTap(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { page: string }>): void;
  /** set when the learner left the page: coming back reads the list again */
  hidden: boolean;
};

/** 消息: what the product told the learner (homework graded, a live about to start), newest first. */
Page<MessagesData, MessagesMethods>({
  data: {
    status: 'loading',
    errorMessage: '',
    messages: [],
    page: 0,
    hasMore: false,
    loadingMore: false,
  },

  ...pagedList<MessagesData>({
    items: 'messages',
    fetch: async (page) => {
      const { messages, hasMore } = await listMessages(page);
      return { items: messages.map((m) => ({ ...m, timeText: formatDateTime(m.createdAt) })), hasMore };
    },
  }),
  ...reloadHooks,
  ...reloadWhenShownAgain,

  onLoad() {
    void this.load();
  },

  /** A message opens what it is about (the homework, the live lesson, the 打卡 page). */
  onMessageTap(e) {
    const { page } = e.currentTarget.dataset;
    if (page) void wx.navigateTo({ url: `/${page}` });
  },
});
