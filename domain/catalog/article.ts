/**
 * Article lessons (`Lesson.articleHtml`): the creator's restricted HTML becomes a tree of rich-text nodes
 * (`<rich-text nodes>`) built from a whitelist, so a learner's phone never receives anything else: no
 * script or style (dropped with their content), no attribute but an image's source and alt text (so no
 * `on*` handlers, no `style`, no links), and image sources only as storage file IDs, handed out as
 * short-lived URLs after the access check. Unknown tags are unwrapped (their text kept). `<mark>` is the
 * creator's highlight (划重点): shown marked, and listed as the lesson's key points. The HTML is read by
 * parse5, as a browser reads it.
 */
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';

type ChildNode = DefaultTreeAdapterMap['childNode'];
type TextNode = DefaultTreeAdapterMap['textNode'];

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
/** Dropped with everything inside them: code, styling, embedded documents, forms, media players. */
const DROPPED = new Set(['script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'template', 'noscript', 'textarea', 'select', 'button', 'svg', 'math', 'form', 'input', 'video', 'audio', 'canvas']);
const BLOCK = new Set<ArticleTag>(['p', 'h2', 'h3', 'ul', 'ol', 'li', 'blockquote']);
/** A storage file ID (cloud://env.bucket/path): the only image source accepted. */
const FILE_ID = /^cloud:\/\/[\w.-]+\/[\w./-]+$/;
/** Deeper nesting is flattened: no creator needs it, and it bounds the work a document can cause. */
const MAX_DEPTH = 12;

/** The text of a node and its children. */
export function textOf(node: ArticleNode): string {
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

/** The whitelisted nodes of parse5's children: kept tags rebuilt from scratch, unknown ones unwrapped, dropped ones gone. */
function whitelisted(children: ChildNode[], depth: number, fileIds: string[]): ArticleNode[] {
  return children.flatMap((child): ArticleNode[] => {
    if (child.nodeName === '#text') return [{ type: 'text', text: (child as TextNode).value }];
    if (!('tagName' in child)) return []; // comments, doctypes
    const tag = child.tagName;
    if (DROPPED.has(tag)) return [];
    const kept = KEPT[tag];
    if (tag === 'img') {
      const attr = (name: string) => child.attrs.find((a) => a.name === name)?.value.trim() ?? '';
      const src = attr('src');
      if (!FILE_ID.test(src)) return [];
      fileIds.push(src);
      const alt = attr('alt').slice(0, 100);
      return [{ name: 'img', attrs: { class: kept!.class, src, ...(alt ? { alt } : {}) } }];
    }
    if (tag === 'br') return [{ name: 'br' }];
    const inner = whitelisted(child.childNodes, depth + 1, fileIds);
    if (!kept || depth >= MAX_DEPTH) return inner;
    return [{ name: kept.name, attrs: { class: kept.class }, children: inner }];
  });
}

export interface Article {
  nodes: ArticleNode[];
  /** the creator's highlights (划重点), in order, each once */
  highlights: string[];
  /** the storage file IDs of its images, to hand out as URLs */
  fileIds: string[];
}

/**
 * Parses the stored article into whitelisted nodes; image `src` still holds the file ID (see `withImageUrls`).
 * parse5 reads it as a browser would (entities decoded, unclosed tags closed), so what is kept is what an
 * HTML reader sees, not what a pattern guessed.
 */
export function parseArticle(html: string): Article {
  const fileIds: string[] = [];
  const nodes = intoBlocks(whitelisted(parseFragment(html).childNodes, 0, fileIds));
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

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (text: string) => escapeText(text).replace(/"/g, '&quot;');

/**
 * The restricted HTML of whitelisted nodes (classes left out: the lesson page adds them): what the console
 * stores, so the editor shows again exactly what learners will see, and parsing it gives the same nodes.
 */
export function articleHtmlOf(nodes: ArticleNode[]): string {
  return nodes
    .map((node) => {
      if ('type' in node) return escapeText(node.text);
      if (node.name === 'br') return '<br>';
      if (node.name === 'img') return `<img src="${escapeAttr(node.attrs?.src ?? '')}"${node.attrs?.alt ? ` alt="${escapeAttr(node.attrs.alt)}"` : ''}>`;
      return `<${node.name}>${articleHtmlOf(node.children ?? [])}</${node.name}>`;
    })
    .join('');
}
