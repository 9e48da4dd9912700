import { messageOf, ServiceError } from '../services/cloud';

/**
 * A page whose content comes from one `load()` (home, a course, an order, the paged lists...): the hooks
 * pages spread into `Page({...})`, each for the pages that offer it, and how loads and actions fail.
 */

/** reads the page's content (again) */
interface Reloadable {
  load(): Promise<void>;
}

/** Pull-down refresh and the error state's retry button both read the content again. */
export const reloadHooks = {
  async onPullDownRefresh(this: Reloadable) {
    await this.load();
    wx.stopPullDownRefresh();
  },

  onRetry(this: Reloadable) {
    void this.load();
  },
};

/**
 * For content that changes while the learner is on another page (a purchase paid, a gift claimed): coming
 * back reads it again. Not on the first show, which follows onLoad's own load. The page declares
 * `hidden: boolean` among its fields.
 */
export const reloadWhenShownAgain = {
  /** set when the learner left the page */
  hidden: false,

  onShow(this: Reloadable & { hidden: boolean }) {
    if (!this.hidden) return;
    this.hidden = false;
    void this.load();
  },

  onHide(this: { hidden: boolean }) {
    this.hidden = true;
  },
};

type LoadingPage = { data: { status: string }; setData(changes: Record<string, unknown>): void };

/** A load starts: a first one (or a retry) shows the skeleton; a refresh keeps the content on screen meanwhile. */
export function showLoading(page: LoadingPage) {
  if (page.data.status !== 'ready') page.setData({ status: 'loading', errorMessage: '' });
}

/**
 * A failed load: content already on screen stays and a toast says why; otherwise the page shows its error
 * state (`errorState`: what else that state needs) with the retry button.
 */
export function showLoadFailure(page: LoadingPage, message: string, errorState: Record<string, unknown> = {}) {
  if (page.data.status === 'ready') void wx.showToast({ title: message, icon: 'none' });
  else page.setData({ status: 'error', errorMessage: message, ...errorState });
}

/**
 * A refused action (a claim, a cancel...): a toast says why, and one refused because the thing changed
 * meanwhile (CONFLICT) reads it again, so the page shows it as it is now.
 */
export function showActionFailure(page: Reloadable, e: unknown, fallback: string) {
  void wx.showToast({ title: messageOf(e, fallback), icon: 'none' });
  if (e instanceof ServiceError && e.code === 'CONFLICT') void page.load();
}
