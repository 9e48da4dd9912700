/** A list read a page at a time from an admin function: its rows, where it is, and why it is empty. */
import type { Reply } from '@domain/contracts/result';
import { ref, shallowRef } from 'vue';

interface Page {
  page: number;
  hasMore: boolean;
}

/**
 * `fetch` asks for a page; `rowsOf` picks the rows from its answer. A failed call empties the list and
 * puts the function's message where the table says it is empty.
 */
export function usePaged<D extends Page, T>(fetch: (page: number) => Promise<Reply<D>>, rowsOf: (data: D) => T[], emptyText: string | (() => string)) {
  const rows = shallowRef<T[]>([]);
  const page = ref(1);
  const hasMore = ref(false);
  const loading = ref(false);
  const emptyNow = () => (typeof emptyText === 'string' ? emptyText : emptyText());
  const empty = ref(emptyNow());

  /** The latest load: a slower earlier reply (filters changed meanwhile) must not replace what it asked for. */
  let latest = 0;

  async function load(to = page.value) {
    const mine = ++latest;
    loading.value = true;
    const reply = await fetch(to);
    if (mine !== latest) return;
    loading.value = false;
    if (!reply.ok) {
      rows.value = [];
      empty.value = reply.message;
      return;
    }
    empty.value = emptyNow();
    rows.value = rowsOf(reply.data);
    page.value = reply.data.page;
    hasMore.value = reply.data.hasMore;
  }

  return { rows, page, hasMore, loading, empty, load };
}
