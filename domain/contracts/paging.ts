import * as z from './schema';

/** A list page holds at most this many items (the mini program's own reads are capped at 20 too). */
export const MAX_PAGE_SIZE = 20;

/** The request fields of every paged list: pages numbered from 1, 10 items unless asked otherwise. */
export const paging = {
  page: z._default(z.int().check(z.minimum(1), z.maximum(100)), 1),
  pageSize: z._default(z.int().check(z.minimum(1), z.maximum(MAX_PAGE_SIZE)), 10),
};
