// Real Chromium for the browser tests: Debian's /usr/bin/chromium through playwright-core (never a downloaded
// browser), a throw-away profile, China's locale and time zone, closed and removed when the test ends.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { PASSWORD } from './desk.js';

export const CHROMIUM = '/usr/bin/chromium';

/** tap's `skip` for a browser test: false when Chromium is there. */
export const needsChromium = existsSync(CHROMIUM) ? false : `needs Chromium at ${CHROMIUM} (Debian: apt-get install chromium fonts-wqy-microhei); CI installs it`;

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'];

/** A fresh browser; `errors` collects script errors of every page it opens (into `o.errors`, labelled, when given). */
export async function openBrowser(t: { teardown(fn: () => unknown): void }, timeoutMs = 10_000, o: { errors?: string[]; label?: string } = {}): Promise<{ browser: BrowserContext; errors: string[] }> {
  const { chromium } = await import('playwright-core');
  const profile = await mkdtemp(path.join(os.tmpdir(), 'hotline-chromium-'));
  t.teardown(() => rm(profile, { recursive: true, force: true }));
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  t.teardown(() => browser.close());
  browser.setDefaultTimeout(timeoutMs);
  const errors = o.errors ?? [];
  browser.on('page', (p) => p.on('pageerror', (e) => errors.push(o.label ? `${o.label}: ${e.message}` : e.message)));
  return { browser, errors };
}

/** Logs in on the desk page at `url` and waits for the desk. */
export async function deskLogin(page: Page, url: string, staffNo: string): Promise<void> {
  await page.goto(url);
  await page.fill('#login-form input[name=staffNo]', staffNo);
  await page.fill('#login-form input[name=password]', PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#desk-view:not([hidden])');
}
