import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';

/** Debian's Chromium, which the browser tests drive. */
export const CHROMIUM = '/usr/bin/chromium';

/** Where screenshots go (gitignored). */
export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

/**
 * Makes sure Debian's Chromium is installed, installing it with apt-get when it is not
 * (as root, as on the project's machines). Throws when it cannot: a browser test never
 * passes without a browser.
 *
 * @example
 * ```ts
 * ensureChromium(); // '/usr/bin/chromium'
 * ```
 */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  try {
    // Test files run in parallel: one lock, so only one of them runs apt-get (dpkg has its own
    // lock and would fail the second), and the others find Chromium installed.
    const install = `test -x ${CHROMIUM} || { apt-get update && apt-get install -y chromium; }`;
    execFileSync('flock', ['/tmp/cleanroom-chromium-install.lock', 'sh', '-c', install], { stdio: 'inherit', timeout: 900_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch (error) {
    throw new Error(`Cannot run the browser tests: installing Debian's chromium failed (${(error as Error).message})`, { cause: error });
  }
  if (!existsSync(CHROMIUM)) throw new Error(`Cannot run the browser tests: apt-get installed chromium but ${CHROMIUM} does not exist`);
  return CHROMIUM;
}

/**
 * Headless Chromium with a fresh profile and no background networking (this machine's
 * network is closed), as one persistent context.
 *
 * @example
 * ```ts
 * const context = await launchChromium();
 * const page = await context.newPage();
 * ```
 */
export async function launchChromium(): Promise<BrowserContext> {
  const executablePath = ensureChromium();
  mkdirSync(ARTIFACTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'cleanroom-chromium-'));
  return chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
