import { messageOf } from '../services/cloud';
import { showLoadFailure, showLoading } from './loading';

/** The state every paged list page keeps (courses, reviews, orders...); pages may add statuses of their own. */
export interface PagedList {
  status: 'loading' | 'ready' | 'error' | (string & {});
  errorMessage: string;
  page: number;
  hasMore: boolean;
  loadingMore: boolean;
}

/** The data fields of a page that hold a list. */
type ListField<Data> = { [K in keyof Data]: Data[K] extends unknown[] ? K : never }[keyof Data] & string;

export interface PagedListOptions<Data extends PagedList> {
  /** the data field whose items are on screen */
  items: ListField<Data>;
  /** Reads one page, for the page's data as the load starts; `also`: more data the page shows with it. */
  fetch(page: number, data: Data): Promise<{ items: Data[ListField<Data>]; hasMore: boolean; also?: Partial<Data> }>;
  /** What the list is of (a keyword; a category and an order): an answer that arrives after it changed is dropped. */
  query?(data: Data): unknown[];
  /** what a failure that says nothing the learner can use shows, if not messageOf's default */
  fallbackMessage?: string;
}

/** What `pagedList` gives a page; its methods type includes these. */
export interface PagedListMethods {
  /** reads the list again from its first page */
  load(): Promise<void>;
  loadPage(page: number): Promise<void>;
}

type ListPage<Data> = Pick<PagedListMethods, 'loadPage'> & { data: Data; setData(changes: Partial<Data>): void };

/**
 * The list part of a paged list page, to spread into `Page({...})` (or to pick from, for a page whose
 * reload does more): loading a page into the list and the loading, error and "no more" states around it.
 * A factory rather than a page Behavior: each list names its own field and call, and a page's own hook of
 * the same name would silently replace a Behavior's, where here a page takes only the hooks it names.
 */
export function pagedList<Data extends PagedList>({ items, fetch, query = () => [], fallbackMessage }: PagedListOptions<Data>) {
  const isCurrent = (asked: unknown[], data: Data) => query(data).every((value, i) => value === asked[i]);
  // The list's field is named by the page: setData's changes are checked by the callers' types, not here.
  const set = (list: ListPage<Data>, changes: Partial<PagedList> & Record<string, unknown>) => list.setData(changes as Partial<Data>);

  return {
    load(this: ListPage<Data>) {
      return this.loadPage(1);
    },

    /** Only a list on screen that has more loads its next page, one at a time. */
    onReachBottom(this: ListPage<Data>) {
      const { status, hasMore, loadingMore, page } = this.data;
      if (status === 'ready' && hasMore && !loadingMore) void this.loadPage(page + 1);
    },

    /** Page 1 replaces the list (see showLoading), later pages add to it under a "loading more" line. */
    async loadPage(this: ListPage<Data>, page: number) {
      const asked = query(this.data);
      if (page > 1) set(this, { loadingMore: true });
      else showLoading(this);
      try {
        const result = await fetch(page, this.data);
        if (!isCurrent(asked, this.data)) return;
        set(this, {
          status: 'ready',
          [items]: page === 1 ? result.items : [...(this.data[items] as unknown[]), ...(result.items as unknown[])],
          ...result.also,
          page,
          hasMore: result.hasMore,
          loadingMore: false,
        });
      } catch (e) {
        if (!isCurrent(asked, this.data)) return;
        // A list on screen stays as it is, without its "loading more" line.
        if (this.data.status === 'ready') set(this, { loadingMore: false });
        showLoadFailure(this, messageOf(e, fallbackMessage));
      }
    },
  };
}
