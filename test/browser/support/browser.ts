import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * Real headless Chromium: CHROME_PATH, else Debian's /usr/bin/chromium, else the binary @sparticuz/chromium
 * ships inside its npm package (so a clean machine needs nothing but `npm ci`). Not its serverless flags,
 * which force a single process.
 */
export const launchBrowser = async (): Promise<Browser> => {
  let executablePath = process.env.CHROME_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : '');
  if (!executablePath) executablePath = await (await import('@sparticuz/chromium')).default.executablePath();
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic'],
  });
};
