/**
 * Forms validate in the browser with the contract's own schema (domain/contracts), the one the function
 * checks again, and show each error beside its field; a function's INVALID_INPUT names the same fields.
 */
import type * as z from '@domain/contracts/schema';
import type { Reply } from '@domain/contracts/result';
import { reactive } from 'vue';

/** Field errors by path (`price.amount`, `chapters.0.lessons.1.title`); `''` holds an error of the whole form. */
export type FieldErrors = Record<string, string>;

export type Checked<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** Parses `input` with `schema`: its output, or the first error of each field. */
function check<S extends z.ZodMiniType>(schema: S, input: unknown): Checked<z.output<S>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const path = issue.path.join('.');
    errors[path] ??= issue.message;
  }
  return { ok: false, errors };
}

/** The fields of a function's INVALID_INPUT message (`参数错误：a.b：message；c：message`). */
function replyErrors(reply: Extract<Reply<unknown>, { ok: false }>): FieldErrors {
  if (reply.code !== 'INVALID_INPUT') return { '': reply.message };
  const errors: FieldErrors = {};
  for (const part of reply.message.replace(/^参数错误：/, '').split('；')) {
    const at = part.indexOf('：');
    if (at > 0) errors[part.slice(0, at)] ??= part.slice(at + 1);
    else errors[''] ??= part;
  }
  return errors;
}

/**
 * A form's errors as TDesign form items show them (`v-bind="form.field('title')"` on a `t-form-item`), and its
 * submission: `submit` sends the input once the schema accepts it; what either refused lands beside the
 * fields (a failure without a field under `''`), and the reply says whether it went through.
 */
export function useFieldErrors() {
  const errors = reactive<FieldErrors>({});
  const set = (next: FieldErrors) => {
    for (const key of Object.keys(errors)) delete errors[key];
    Object.assign(errors, next);
  };
  async function submit<S extends z.ZodMiniType, T>(schema: S, input: unknown, send: (data: z.output<S>) => Promise<Reply<T>>): Promise<Reply<T>> {
    const checked = check(schema, input);
    if (!checked.ok) {
      set(checked.errors);
      return { ok: false, code: 'INVALID_INPUT', message: '请先修改标红的内容' };
    }
    set({});
    const reply = await send(checked.data);
    if (!reply.ok) set(replyErrors(reply));
    return reply;
  }
  return {
    errors,
    set,
    submit,
    field: (path: string) => (errors[path] ? { status: 'error' as const, tips: errors[path] } : {}),
  };
}
