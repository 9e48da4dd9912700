import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { emulatorUrl } from './sdk';
import type { StaffAccount } from './staff';

/**
 * The creator console in real Chromium: Debian's `chromium` package (`.ci/run` installs it when missing;
 * `CHROMIUM_PATH` names another), driven by playwright-core, against the console the emulator serves.
 * Screens are saved to `artifacts/screenshots/` (git-ignored) for people to look at.
 */
const SCREENSHOTS = resolve(__dirname, '../../artifacts/screenshots');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // No sandbox: CI runs as root in a container; no GPU on a build machine.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--lang=zh-CN'],
  });
}

export const consoleUrl = (path = '') => `${emulatorUrl()}/console/${path ? `#${path}` : ''}`;

/** The console's calls in flight, per page: a hash route change loads no document, so load states never tell. */
const inFlight = new WeakMap<Page, { calls: number; lastSettled: number }>();

function trackCalls(page: Page) {
  const state = { calls: 0, lastSettled: Date.now() };
  inFlight.set(page, state);
  const isCall = (url: string) => /\/v1\/(functions|storages)\//.test(url);
  page.on('request', (request) => {
    if (isCall(request.url())) state.calls++;
  });
  const settled = (request: { url(): string }) => {
    if (!isCall(request.url())) return;
    state.calls--;
    state.lastSettled = Date.now();
  };
  page.on('requestfinished', settled);
  page.on('requestfailed', settled);
}

/** Waits until the page's calls have answered and nothing new was asked for 300 ms (the screen has drawn them). */
export async function settle(page: Page): Promise<void> {
  const state = inFlight.get(page);
  if (!state) return;
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && (state.calls > 0 || Date.now() - state.lastSettled < 300)) await page.waitForTimeout(50);
}

/** One Chromium for the calling file's tests: launched before them, closed after them. */
export function browserForFile(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser is not running: use it inside the tests');
    return browser;
  };
}

/** Opens a screen of the console (its route, e.g. '/distribution') in a signed-in page. */
export const go = (page: Page, path: string) => page.goto(page.url().replace(/#.*$/, `#${path}`));

/** A fresh browser context (no session kept) signed in as a demo staff account, on its landing screen. */
export async function signIn(browser: Browser, account: StaffAccount): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  trackCalls(page);
  page.on('pageerror', (error) => console.error(`[console as ${account}] ${error.message}`));
  await page.goto(consoleUrl('/login'));
  await page.getByPlaceholder('用户名').fill(account);
  await page.getByPlaceholder('密码').fill(`${account}-demo-pass`);
  await page.locator('[data-test="sign-in"]').click();
  await page.locator('.app-header').waitFor();
  return page;
}

/**
 * Picks a course in a course picker (cms/src/components/CourseSelect.vue) by searching its title, as a
 * creator would: the list shows the first 20 courses, and other tests add courses of their own.
 */
export async function chooseCourse(page: Page, test: string, title: string): Promise<void> {
  const picker = page.locator(`[data-test="${test}"]`);
  await picker.click();
  await picker.locator('input').first().fill(title);
  await page.locator('.t-select-option', { hasText: title }).first().click();
}

/** Saves the page as `artifacts/screenshots/<name>.png` once its calls have answered. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await settle(page);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
