/**
 * The Chromium side of the preview, run in its own Node process (playwright-core does not load in jest's
 * jsdom): reads from stdin the pages to shoot (an HTML file, the PNG to write, selectors to measure),
 * screenshots each at 375 px wide (device scale 2), and prints what it measured as JSON.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { launchBrowser } from '../support/browser';

export interface ShootRequest {
  html: string;
  png: string;
  /** Selectors whose first element's box and colours are reported. */
  measure: string[];
}

export interface Measured {
  width: number;
  height: number;
  color: string;
  backgroundColor: string;
  fontSize: string;
}

async function main() {
  const requests = JSON.parse(readFileSync(0, 'utf8')) as ShootRequest[];
  const browser = await launchBrowser();
  const results: Array<Record<string, Measured | null>> = [];
  try {
    for (const { html, png, measure } of requests) {
      const context = await browser.newContext({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, locale: 'zh-CN' });
      const page = await context.newPage();
      await page.goto(pathToFileURL(html).href, { waitUntil: 'networkidle' });
      await page.evaluate(() => document.fonts.ready);
      // The whole page in one viewport, so fixed bars (tab bar, buy bar) sit at its bottom as on a phone.
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.setViewportSize({ width: 375, height: Math.max(667, height) });
      await page.screenshot({ path: png });
      const measured: Record<string, Measured | null> = {};
      for (const selector of measure) {
        measured[selector] = await page.evaluate((s) => {
          const element = document.querySelector(s);
          if (!element) return null;
          const box = element.getBoundingClientRect();
          const style = getComputedStyle(element);
          return { width: box.width, height: box.height, color: style.color, backgroundColor: style.backgroundColor, fontSize: style.fontSize };
        }, selector);
      }
      results.push(measured);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
