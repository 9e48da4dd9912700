/**
 * `text` with its first character changed to another one: a forged signature, token or id that never
 * equals the real one (a fixed replacement character would, whenever the real one starts with it).
 */
export function flipChar(text: string): string {
  if (text === '') throw new Error('nothing to forge in an empty text');
  return `${text[0] === 'A' ? 'B' : 'A'}${text.slice(1)}`;
}
