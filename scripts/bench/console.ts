/**
 * The creator console's figures: what a browser downloads (gzip, as static hosting serves it) and how long
 * the dashboard takes to show its figures and charts in Chromium, signed in as the owner.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { summarize, type Summary } from './stats';

export interface ConsoleResult {
  /** index.html with the scripts and styles it loads before anything shows */
  firstLoadGzipBytes: number;
  /** the dashboard's own chunks (ECharts among them), loaded when it opens */
  dashboardGzipBytes: number;
  /** every file of the build */
  totalGzipBytes: number;
  /** from navigation to the figures and charts drawn, a fresh tab of a signed-in browser */
  dashboardFirstRender: Summary;
}

const gz = (file: string) => gzipSync(readFileSync(file)).length;

function sizes(dist: string) {
  const assets = readdirSync(join(dist, 'assets'));
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const firstLoad = [...html.matchAll(/(?:src|href)="\.\/assets\/([^"]+)"/g)].map((m) => m[1]!);
  const sum = (names: string[]) => names.reduce((n, name) => n + gz(join(dist, 'assets', name)), 0);
  return {
    firstLoadGzipBytes: gz(join(dist, 'index.html')) + sum(firstLoad),
    dashboardGzipBytes: sum(assets.filter((a) => a.startsWith('dashboard-'))),
    totalGzipBytes: gz(join(dist, 'index.html')) + sum(assets),
  };
}

export async function benchConsole(root: string, emulatorUrl: string, runs = 5): Promise<ConsoleResult> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${emulatorUrl}/console/#/login`);
    await page.getByPlaceholder('用户名').fill('owner');
    await page.getByPlaceholder('密码').fill('owner-demo-pass');
    await page.locator('[data-test="sign-in"]').click();
    await page.locator('[data-test="figures"]').waitFor();
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const tab = await context.newPage();
      const started = performance.now();
      await tab.goto(`${emulatorUrl}/console/#/dashboard`);
      await tab.locator('[data-test="figures"]').waitFor();
      await tab.locator('.chart canvas').first().waitFor();
      samples.push(performance.now() - started);
      await tab.close();
    }
    return { ...sizes(join(root, 'cms/dist')), dashboardFirstRender: summarize(samples) };
  } finally {
    await browser.close();
  }
}
