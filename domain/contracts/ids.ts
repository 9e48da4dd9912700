import * as z from './schema';

/** A document id a request names (a course, a lesson, an order...): what the product's ids are made of. */
export const id = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/, '编号格式不正确'));
