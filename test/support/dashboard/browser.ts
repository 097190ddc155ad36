/**
 * Debian's Chromium under playwright-core for the dashboard tests: never a downloaded browser.
 * The flags are the ones this machine needs (no sandbox as root; no background networking,
 * component updates or sync, whose connections a closed network refuses); Playwright starts
 * every launch with a fresh --user-data-dir of its own in a temp folder.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';

export const CHROMIUM = '/usr/bin/chromium';
export const WEB_DIST = new URL('../../../web/dist/', import.meta.url);

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); scripts/run-tests.mjs and .ci/run do`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Builds web/ into web/dist as `npm ci`'s prepare does, so the tests never run a stale bundle. */
export async function buildDashboard(): Promise<URL> {
  await build({ root: fileURLToPath(new URL('../../../web/', import.meta.url)), logLevel: 'warn' });
  return WEB_DIST;
}
