/** The state every paged list page keeps (courses, reviews, orders...); pages may add statuses of their own. */
export interface PagedList {
  status: 'loading' | 'ready' | 'error' | (string & {});
  errorMessage: string;
  page: number;
  hasMore: boolean;
  loadingMore: boolean;
}

/** The page to load when the learner reaches the bottom of the list, or 0: no more, or one is on its way. */
export const nextPage = ({ status, hasMore, loadingMore, page }: PagedList) => (status === 'ready' && hasMore && !loadingMore ? page + 1 : 0);

/**
 * A failed page load: a list already on screen stays and a toast says why; otherwise the page shows its
 * error state with the retry button.
 */
export function showListFailure(list: { data: PagedList; setData(changes: Partial<PagedList>): void }, message: string) {
  if (list.data.status === 'ready') {
    list.setData({ loadingMore: false });
    void wx.showToast({ title: message, icon: 'none' });
  } else {
    list.setData({ status: 'error', errorMessage: message });
  }
}
