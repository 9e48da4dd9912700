import { listMyHomework, type MyHomework } from '../../../services/homework';
import { formatDateTime } from '../../../utils/format';
import { reloadHooks, reloadWhenShownAgain } from '../../../utils/loading';
import { pagedList, type PagedListMethods } from '../../../utils/paging';
import { STATUS_LABELS } from '../homework/status';

type HomeworkItem = MyHomework['homework'][number] & { statusText: string; statusTheme: string; submittedText: string };

type HomeworkListData = {
  status: 'loading' | 'ready' | 'error';
  errorMessage: string;
  homework: HomeworkItem[];
  page: number;
  hasMore: boolean;
  loadingMore: boolean;
};

type HomeworkListMethods = PagedListMethods & {
  onRetry(): void;
  onOpen(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { id: string }>): void;
  /** set when the learner left the page: coming back (after handing one in again) reads the list again */
  hidden: boolean;
};

const toItem = (h: MyHomework['homework'][number]): HomeworkItem => ({
  ...h,
  statusText: STATUS_LABELS[h.status].text,
  statusTheme: STATUS_LABELS[h.status].theme,
  submittedText: formatDateTime(h.submittedAt),
});

Page<HomeworkListData, HomeworkListMethods>({
  data: { status: 'loading', errorMessage: '', homework: [], page: 0, hasMore: false, loadingMore: false },

  ...pagedList<HomeworkListData>({
    items: 'homework',
    fetch: async (page) => {
      const { homework, hasMore } = await listMyHomework(page);
      return { items: homework.map(toItem), hasMore };
    },
  }),
  ...reloadHooks,
  ...reloadWhenShownAgain,

  onLoad() {
    void this.load();
  },

  onOpen(e) {
    void wx.navigateTo({ url: `/packages/learn/homework/index?assignmentId=${e.currentTarget.dataset.id}` });
  },
});
