import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { MINIPROGRAM_ROOT, type RenderedPage } from '../support/miniprogram';
import { rpxToPx } from '../support/rpx';
import { iconCss } from './icons';
import type { Measured, ShootRequest } from './shoot';

/**
 * What a page rendered by the harness looks like on a phone 375 px wide, for developers without WeChat
 * DevTools: the page's DOM as the harness rendered it (j-component's `wx-view`, `wx-text`...), styled with
 * the WXSS WeChat would apply (app.wxss, the page's, every component's it uses, TDesign's), made CSS as the
 * harness scopes it, shown in Chromium under WeChat's navigation bar (and tab bar on a tab page), and
 * saved as `<name>.png` and `<name>.html`, with an `index.html` listing every shot by route and state.
 */

// miniprogram-simulate's WXSS tools: @import inlined, classes scoped `<tag>--<class>` as its DOM has them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wxss = require('miniprogram-simulate/src/wxss') as { getContent(path: string): string; compile(wxss: string, options: { prefix: string }): string };
// The harness resolves npm component paths in this reader (test/support/miniprogram.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const simulateFiles = require('miniprogram-simulate/src/utils') as { readJson(path: string): { usingComponents?: Record<string, string> } | null };

const APP = JSON.parse(readFileSync(join(MINIPROGRAM_ROOT, 'app.json'), 'utf8')) as {
  pages: string[];
  subPackages: Array<{ root: string; pages: string[] }>;
  window: { navigationBarTitleText?: string };
  tabBar: { color: string; selectedColor: string; list: Array<{ pagePath: string; text: string; iconPath: string; selectedIconPath: string }> };
};

/** Every page of the app: main package, then subpackages, as app.json lists them. */
export const ALL_ROUTES = [...APP.pages, ...APP.subPackages.flatMap((p) => p.pages.map((page) => `${p.root}${page}`))];

/** WeChat's built-in components, rendered by j-component as `wx-<name>`. */
const BUILT_INS = [
  'view', 'scroll-view', 'swiper', 'swiper-item', 'movable-area', 'movable-view', 'cover-view', 'cover-image', 'icon', 'text',
  'rich-text', 'progress', 'button', 'checkbox', 'checkbox-group', 'form', 'input', 'label', 'picker', 'picker-view', 'radio',
  'radio-group', 'slider', 'switch', 'textarea', 'navigator', 'image', 'video', 'canvas', 'editor',
];
const TYPE_SELECTOR = new RegExp(`(^|[\\s>+~,(])(page|${BUILT_INS.join('|')})(?=$|[\\s.#:\\[>+~,)])`, 'g');

/** WeChat's default look of its built-in components, and the frame (navigation bar, tab bar). */
const BASE_CSS = `
html, body { margin: 0; background: #f5f6f7; }
body { width: 375px; font-size: 16px; -webkit-text-size-adjust: none; }
/* The page's window, below the navigation bar: what the page's position: fixed is relative to. */
.preview-window { position: relative; transform: translateZ(0); min-height: calc(100vh - 44px); }
main { display: block; }
wx-view, wx-scroll-view, wx-swiper-item, wx-form, wx-navigator, wx-rich-text, wx-cover-view, wx-movable-area, wx-canvas, wx-editor { display: block; }
wx-scroll-view { overflow: hidden; }
wx-swiper { display: block; position: relative; height: 150px; overflow: hidden; }
wx-swiper-item { position: absolute; inset: 0; }
wx-swiper-item ~ wx-swiper-item { visibility: hidden; }
wx-text { white-space: pre-wrap; }
wx-image { display: inline-block; position: relative; width: 320px; height: 240px; overflow: hidden; }
wx-input { display: block; height: 1.4em; min-height: 1.4em; overflow: hidden; white-space: nowrap; }
wx-textarea { display: block; width: 300px; height: 150px; white-space: pre-wrap; }
wx-input[value]::before, wx-textarea[value]::before { content: attr(value); }
wx-input:not([value])::before, wx-textarea:not([value])::before { content: attr(placeholder); color: #999; }
wx-video { display: inline-block; width: 300px; height: 225px; background: #000; }
wx-button { display: block; position: relative; margin: 0 auto; padding: 0 14px; box-sizing: border-box; font-size: 18px;
  text-align: center; text-decoration: none; line-height: 2.55555556; border-radius: 5px; color: #000; background-color: #f8f8f8; overflow: hidden; }
wx-button::after { content: ' '; position: absolute; top: 0; left: 0; width: 200%; height: 200%; box-sizing: border-box;
  border: 1px solid rgba(0, 0, 0, 0.2); border-radius: 10px; transform: scale(0.5); transform-origin: 0 0; }
[hidden] { display: none !important; }
.preview-nav { height: 44px; line-height: 44px; text-align: center; font-size: 17px; font-weight: 500; color: #000;
  background: #fff; font-family: -apple-system, 'PingFang SC', sans-serif; }
.preview-tabs { position: fixed; left: 0; right: 0; bottom: 0; height: 50px; display: flex; background: #fff;
  border-top: 1px solid rgba(0, 0, 0, 0.1); font-family: -apple-system, 'PingFang SC', sans-serif; z-index: 9999; }
.preview-tabs div { flex: 1; text-align: center; font-size: 10px; padding-top: 5px; }
.preview-tabs img { display: block; width: 24px; height: 24px; margin: 0 auto 2px; }
body.preview-tabbed { padding-bottom: 50px; }
`;

/** A component of the page and the scope miniprogram-simulate gives its classes (the tag it is used under). */
function componentsOf(route: string): Array<{ path: string; scope: string }> {
  const found = new Map<string, string>();
  const visit = (path: string, scope: string) => {
    if (found.has(path)) return;
    found.set(path, scope);
    for (const [tag, target] of Object.entries(simulateFiles.readJson(`${path}.json`)?.usingComponents ?? {})) {
      const used = isAbsolute(target) ? join(MINIPROGRAM_ROOT, target) : join(dirname(path), target);
      if (existsSync(`${used}.json`)) visit(used, tag);
    }
  };
  visit(join(MINIPROGRAM_ROOT, route), 'main');
  return [...found].map(([path, scope]) => ({ path, scope }));
}

/** WXSS as CSS for the harness's DOM: rpx at 375 px, classes scoped, `view` → `wx-view`, `page` → the page's window. */
export function wxssToCss(source: string, scope: string): string {
  const css = wxss.compile(rpxToPx(source), { prefix: scope });
  return (
    css
      // The icon font lives on a CDN: icons are drawn from SVG instead (icons.ts).
      .replace(/@font-face\{[^}]*tdesign\.gtimg\.com[^}]*\}/g, '')
      // Selectors are what precedes a `{` (at-rules aside); declarations never do.
      .replace(/(^|[{}])([^{}@]+)(?=\{)/g, (_, open: string, selectors: string) =>
        open + selectors.replace(TYPE_SELECTOR, (__, before: string, tag: string) => before + (tag === 'page' ? '.preview-window' : `wx-${tag}`)),
      )
  );
}

const styleCache = new Map<string, string>();

/** The CSS of a route: app.wxss (page scope), then each component's WXSS in the order the harness registers them. */
export function stylesOf(route: string): string {
  let css = styleCache.get(route);
  if (css === undefined) {
    const app = wxssToCss(wxss.getContent(join(MINIPROGRAM_ROOT, 'app.wxss')), 'main');
    css = [app, ...componentsOf(route).map(({ path, scope }) => wxssToCss(wxss.getContent(`${path}.wxss`), scope))].join('\n');
    styleCache.set(route, css);
  }
  return css;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const dataUrl = (path: string) => `data:image/png;base64,${readFileSync(join(MINIPROGRAM_ROOT, path)).toString('base64')}`;

/** The navigation bar's title: the last one the page set, else its JSON's, else the app's. */
function titleOf(page: RenderedPage, route: string): string {
  const set = page.wxCalls('setNavigationBarTitle').at(-1)?.title;
  if (typeof set === 'string') return set;
  const json = JSON.parse(readFileSync(join(MINIPROGRAM_ROOT, `${route}.json`), 'utf8')) as { navigationBarTitleText?: string };
  return json.navigationBarTitleText ?? APP.window.navigationBarTitleText ?? '';
}

function tabBarOf(route: string): string {
  if (!APP.tabBar.list.some((tab) => tab.pagePath === route)) return '';
  const tabs = APP.tabBar.list.map((tab) => {
    const on = tab.pagePath === route;
    return `<div style="color: ${on ? APP.tabBar.selectedColor : APP.tabBar.color}"><img src="${dataUrl(on ? tab.selectedIconPath : tab.iconPath)}">${escapeHtml(tab.text)}</div>`;
  });
  return `<nav class="preview-tabs">${tabs.join('')}</nav>`;
}

export function documentOf(page: RenderedPage, route: string): string {
  const html = page.component.dom.outerHTML;
  const tabs = tabBarOf(route);
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(route)}</title>
<style>${BASE_CSS}</style>
<style>${stylesOf(route)}</style>
<style>${iconCss(html)}</style>
</head><body${tabs ? ' class="preview-tabbed"' : ''}><header class="preview-nav">${escapeHtml(titleOf(page, route))}</header><div class="preview-window">${html}</div>${tabs}</body></html>`;
}

export interface Shot {
  route: string;
  state: string;
  /** The screenshot's file name in the preview folder; the page's HTML has the same name, .html. */
  png: string;
  /** What Chromium measured of the selectors asked for (null: no such element), once taken. */
  measured: Record<string, Measured | null>;
}

/**
 * Shots into `dir` (emptied first): `shoot` saves each page's HTML as it is when called; `take` has
 * Chromium screenshot them all, in a process of its own (shoot.ts), and writes `index.html`.
 */
export class Preview {
  readonly shots: Shot[] = [];
  private pending: Array<{ shot: Shot; measure: string[] }> = [];

  constructor(readonly dir: string) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }

  /** Waits for the page's calls, then saves it as `route` in `state`; `measure`: selectors to measure in Chromium. */
  async shoot(page: RenderedPage, route: string, state: string, measure: string[] = []): Promise<Shot> {
    await page.settle();
    const name = `${route.replace(/\/index$/, '').replace(/\//g, '_')}--${state.replace(/[^\w-]+/g, '-')}`;
    writeFileSync(join(this.dir, `${name}.html`), documentOf(page, route));
    const shot: Shot = { route, state, png: `${name}.png`, measured: {} };
    this.shots.push(shot);
    this.pending.push({ shot, measure });
    return shot;
  }

  /** Screenshots every page saved since the last call, then rewrites the index. */
  take(): Shot[] {
    const todo = this.pending.map((p) => p.shot);
    const requests: ShootRequest[] = this.pending.map(({ shot, measure }) => ({
      html: join(this.dir, shot.png.replace(/\.png$/, '.html')),
      png: join(this.dir, shot.png),
      measure,
    }));
    this.pending = [];
    if (requests.length) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'shoot.ts')], {
        input: JSON.stringify(requests),
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      (JSON.parse(out) as Shot['measured'][]).forEach((measured, i) => (todo[i]!.measured = measured));
    }
    this.writeIndex();
    return todo;
  }

  private writeIndex() {
    const rows = this.shots.map(
      (s) => `<figure><figcaption><b>${escapeHtml(s.route)}</b><br>${escapeHtml(s.state)}</figcaption>
<a href="${s.png.replace(/\.png$/, '.html')}"><img src="${s.png}" width="375" loading="lazy"></a></figure>`,
    );
    const routes = new Set(this.shots.map((s) => s.route));
    const missing = ALL_ROUTES.filter((route) => !routes.has(route));
    writeFileSync(
      join(this.dir, 'index.html'),
      `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Mini program preview</title>
<style>body { font-family: sans-serif; margin: 16px; } main { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
figure { margin: 0; width: 375px; } figcaption { margin-bottom: 6px; font-size: 13px; } img { border: 1px solid #ddd; }</style>
</head><body><h1>The mini program, page by page</h1>
<p>${this.shots.length} shots of ${routes.size} of the ${ALL_ROUTES.length} pages, rendered by the test harness against the emulator's demo school${missing.length ? `; not shown: ${missing.map(escapeHtml).join(', ')}` : ''}.</p>
<main>${rows.join('\n')}</main></body></html>`,
    );
  }
}
