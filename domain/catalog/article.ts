/**
 * Article lessons (`Lesson.articleHtml`): the creator's restricted HTML becomes a tree of rich-text nodes
 * (`<rich-text nodes>`) built from a whitelist, so a learner's phone never receives anything else: no
 * script or style (dropped with their content), no attribute but an image's source and alt text (so no
 * `on*` handlers, no `style`, no links), and image sources only as storage file IDs, handed out as
 * short-lived URLs after the access check. Unknown tags are unwrapped (their text kept). `<mark>` is the
 * creator's highlight (划重点): shown marked, and listed as the lesson's key points.
 */

/** A node of `<rich-text nodes>`: an element of the whitelist, or text (which rich-text shows as text, never as markup). */
export type ArticleNode =
  | { type: 'text'; text: string }
  | { name: ArticleTag; attrs?: { class?: string; src?: string; alt?: string }; children?: ArticleNode[] };

export type ArticleTag = 'p' | 'h2' | 'h3' | 'strong' | 'em' | 'ul' | 'ol' | 'li' | 'blockquote' | 'br' | 'img' | 'mark';

/** Input tags kept, with what each becomes; the class is styled by the lesson page. */
const KEPT: Record<string, { name: ArticleTag; class: string }> = {
  p: { name: 'p', class: 'article-p' },
  h1: { name: 'h2', class: 'article-h2' },
  h2: { name: 'h2', class: 'article-h2' },
  h3: { name: 'h3', class: 'article-h3' },
  h4: { name: 'h3', class: 'article-h3' },
  strong: { name: 'strong', class: 'article-strong' },
  b: { name: 'strong', class: 'article-strong' },
  em: { name: 'em', class: 'article-em' },
  i: { name: 'em', class: 'article-em' },
  ul: { name: 'ul', class: 'article-list' },
  ol: { name: 'ol', class: 'article-list' },
  li: { name: 'li', class: 'article-li' },
  blockquote: { name: 'blockquote', class: 'article-quote' },
  mark: { name: 'mark', class: 'article-mark' },
  br: { name: 'br', class: '' },
  img: { name: 'img', class: 'article-img' },
};
/** Dropped with everything inside them: code, styling, embedded documents, forms. */
const DROPPED = new Set(['script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'template', 'noscript', 'textarea', 'select', 'option', 'button', 'svg', 'math', 'head', 'title', 'link', 'meta', 'base', 'form', 'input', 'video', 'audio', 'canvas']);
const VOID = new Set(['br', 'img', 'hr', 'wbr', 'input', 'meta', 'link', 'base', 'col', 'area', 'source', 'track', 'param', 'embed']);
const BLOCK = new Set<ArticleTag>(['p', 'h2', 'h3', 'ul', 'ol', 'li', 'blockquote']);
/** A storage file ID (cloud://env.bucket/path): the only image source accepted. */
const FILE_ID = /^cloud:\/\/[\w.-]+\/[\w./-]+$/;
/** Deeper nesting is flattened: no creator needs it, and it bounds the work a document can cause. */
const MAX_DEPTH = 12;

const TOKEN = /<!--[\s\S]*?(?:-->|$)|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|[^<]+|</g;
const ATTR = /([^\s=/"']+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

type Element = Extract<ArticleNode, { name: ArticleTag }>;

function attributesOf(source: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const m of source.matchAll(ATTR)) attrs.set(m[1]!.toLowerCase(), m[2] ?? m[3] ?? m[4] ?? '');
  return attrs;
}

const decodeAttr = (value: string) =>
  value.replace(/&(amp|lt|gt|quot|#39|apos);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" })[e]!);

/** The text of a node and its children, whitespace collapsed. */
function textOf(node: ArticleNode): string {
  if ('type' in node) return node.text;
  return (node.children ?? []).map(textOf).join('');
}

/** Top-level text and inline elements go into paragraphs, so the article reads as blocks. */
function intoBlocks(nodes: ArticleNode[]): ArticleNode[] {
  const blocks: ArticleNode[] = [];
  let run: ArticleNode[] = [];
  const flush = () => {
    if (run.some((n) => !('type' in n) || n.text.trim())) blocks.push({ name: 'p', attrs: { class: KEPT.p!.class }, children: run });
    run = [];
  };
  for (const node of nodes) {
    if (!('type' in node) && BLOCK.has(node.name)) {
      flush();
      blocks.push(node);
    } else run.push(node);
  }
  flush();
  return blocks;
}

export interface Article {
  nodes: ArticleNode[];
  /** the creator's highlights (划重点), in order, each once */
  highlights: string[];
  /** the storage file IDs of its images, to hand out as URLs */
  fileIds: string[];
}

/** Parses the stored article into whitelisted nodes; image `src` still holds the file ID (see `withImageUrls`). */
export function parseArticle(html: string): Article {
  const root: Element = { name: 'p', children: [] };
  const stack: Array<{ tag: string; node: Element | null }> = [{ tag: '#root', node: root }];
  const fileIds: string[] = [];
  let dropping: string | undefined;
  const parent = () => {
    for (let i = stack.length - 1; i >= 0; i--) if (stack[i]!.node) return stack[i]!.node!;
    return root;
  };
  const depth = () => stack.filter((s) => s.node).length;

  for (const m of html.matchAll(TOKEN)) {
    const [token, closing, rawTag, rawAttrs] = m;
    if (token.startsWith('<!--')) continue;
    if (rawTag === undefined) {
      if (dropping) continue;
      const text = token === '<' ? '<' : token;
      if (text) parent().children!.push({ type: 'text', text });
      continue;
    }
    const tag = rawTag.toLowerCase();
    if (dropping) {
      if (closing && tag === dropping) dropping = undefined;
      continue;
    }
    if (closing) {
      // Close up to the matching open tag; a stray close tag changes nothing.
      const at = stack.map((s) => s.tag).lastIndexOf(tag);
      if (at > 0) stack.length = at;
      continue;
    }
    if (DROPPED.has(tag)) {
      if (!VOID.has(tag) && !/\/\s*$/.test(rawAttrs ?? '')) dropping = tag;
      continue;
    }
    const kept = KEPT[tag];
    if (tag === 'img') {
      const attrs = attributesOf(rawAttrs ?? '');
      const src = decodeAttr(attrs.get('src') ?? '').trim();
      if (!FILE_ID.test(src)) continue;
      const alt = decodeAttr(attrs.get('alt') ?? '').slice(0, 100);
      fileIds.push(src);
      parent().children!.push({ name: 'img', attrs: { class: kept!.class, src, ...(alt ? { alt } : {}) } });
      continue;
    }
    if (tag === 'br') {
      parent().children!.push({ name: 'br' });
      continue;
    }
    if (VOID.has(tag)) continue;
    if (!kept || depth() > MAX_DEPTH) {
      stack.push({ tag, node: null });
      continue;
    }
    const node: Element = { name: kept.name, attrs: { class: kept.class }, children: [] };
    parent().children!.push(node);
    stack.push({ tag, node });
  }

  const nodes = intoBlocks(root.children!);
  const highlights: string[] = [];
  const collect = (node: ArticleNode) => {
    if ('type' in node) return;
    if (node.name === 'mark') {
      const text = textOf(node).replace(/\s+/g, ' ').trim();
      if (text && !highlights.includes(text)) highlights.push(text);
    }
    node.children?.forEach(collect);
  };
  nodes.forEach(collect);
  return { nodes, highlights, fileIds: [...new Set(fileIds)] };
}

/** The nodes with each image's file ID replaced by its URL; an image without one (a deleted file) is left out. */
export function withImageUrls(nodes: ArticleNode[], urls: Map<string, string>): ArticleNode[] {
  return nodes.flatMap((node): ArticleNode[] => {
    if ('type' in node) return [node];
    if (node.name === 'img') {
      const url = urls.get(node.attrs?.src ?? '');
      return url ? [{ ...node, attrs: { ...node.attrs, src: url } }] : [];
    }
    return [node.children ? { ...node, children: withImageUrls(node.children, urls) } : node];
  });
}
