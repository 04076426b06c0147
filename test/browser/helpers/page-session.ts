import type { BrowserContext, Page } from 'playwright-core';

/**
 * The pages one browser test file opens: signing in with a key, collecting every page's
 * uncaught errors (a test fails on any, even when its own checks pass), and closing the
 * pages after each test so that none acts during the next one.
 *
 * @example
 * ```ts
 * const session = pageSession(() => context, () => ui.url);
 * const page = await session.signIn(key);
 * afterEach(async () => expect(await session.closeAll()).toEqual([]));
 * ```
 */
export function pageSession(context: () => BrowserContext, url: () => string) {
  const pageErrors: string[] = [];
  const pages: Page[] = [];
  return {
    /** Keeps a page the test opened itself, to be closed after the test. */
    track(page: Page): Page {
      pages.push(page);
      return page;
    },
    async signIn(key: string): Promise<Page> {
      const page = await context().newPage();
      pages.push(page);
      page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.stack ?? error.message}`));
      await page.goto(url());
      await page.fill('input[name=apiKey]', key);
      await page.click('button[type=submit]');
      await page.waitForSelector('header.top');
      return page;
    },
    /** Closes every page of the test and returns (and forgets) the page errors seen. */
    async closeAll(): Promise<string[]> {
      await Promise.all(pages.splice(0).map((page) => page.close()));
      return pageErrors.splice(0);
    },
  };
}
