import type { AddressInfo } from 'node:net';
import AxeBuilder from '@axe-core/playwright';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Client } from '@libsql/client';
import { type Browser, type BrowserContext, chromium, type Page, type Route } from 'playwright-core';
import { expect } from 'vitest';
import { createApp } from '../../src/app.ts';
import type { Db } from '../../src/db/client.ts';
import { nodeAssets } from '../../src/entry/node-assets.ts';
import { nodeCompress } from '../../src/entry/node-compress.ts';
import { nodeFileStorage } from '../../src/entry/node-storage.ts';
import { inProcessPdf } from '../../src/entry/pdf-renderer.ts';
import { type Config, parseConfig } from '../../src/env.ts';
import { freshDatabase, removeDatabase, TestClock } from './app.ts';

/** Debian's Chromium; browser tests never download one. Override with CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless Chromium, quiet: no sandbox (containers), no background traffic to Google. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface BrowserServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  db: Db;
  client: Client;
  clock: TestClock;
  /** Where the uploaded files of this server live (removed by `close()`). */
  filesFolder: string;
  config: Config;
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * The real app (static assets included) over a fresh libSQL copy and a storage folder of its own,
 * served by @hono/node-server on a free port of 127.0.0.1. `close()` stops the server, closes the
 * database and deletes it with its files.
 */
export async function startServer(options: { config?: Partial<Config> } = {}): Promise<BrowserServer> {
  const { client, db, path, filesFolder } = await freshDatabase();
  const config = { ...parseConfig({ NODE_ENV: 'test', LOG_REQUESTS: '0' }), ...options.config };
  const clock = new TestClock();
  const logs: Record<string, unknown>[] = [];
  const app = createApp({
    config,
    db: () => db,
    clock,
    log: (entry) => logs.push(entry),
    assets: nodeAssets(),
    compress: nodeCompress(),
    storage: nodeFileStorage(filesFolder),
    pdf: inProcessPdf,
    clientIp: (c) => getConnInfo(c).remote.address ?? 'unknown',
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  // Emailed links use the listening address, as in development (the port is known only now).
  config.PUBLIC_URL = `http://127.0.0.1:${port}`;
  return {
    origin: config.PUBLIC_URL,
    db,
    client,
    clock,
    filesFolder,
    config,
    logs,
    close: () =>
      new Promise<void>((resolve, reject) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close((err) => {
          client.close();
          removeDatabase(path);
          if (err) reject(err);
          else resolve();
        });
      }),
  };
}

export interface PageProblems {
  /** Responses with a 4xx/5xx status (besides those the test expects), as "status url". */
  failedResponses: string[];
  /** Requests that never got a response (network error, blocked…), as "url reason". */
  failedRequests: string[];
  /** Console errors and warnings (CSP violations are reported there too), and uncaught page errors. */
  consoleErrors: string[];
  /** `securitypolicyviolation` events, as "directive blocked-uri". */
  cspViolations: string[];
}

/**
 * Records what goes wrong on a page: failing responses, failed requests, console errors (CSP
 * violations included) and uncaught exceptions. `allow(url, status)` lets a test allow e.g. a 404
 * document it navigates to on purpose.
 */
export async function watchPage(
  page: Page,
  allow: (url: string, status: number) => boolean = () => false,
): Promise<PageProblems> {
  const problems: PageProblems = {
    failedResponses: [],
    failedRequests: [],
    consoleErrors: [],
    cspViolations: [],
  };
  await page.exposeFunction('__reportCspViolation', (violation: string) =>
    problems.cspViolations.push(violation),
  );
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __reportCspViolation(v: string): void }).__reportCspViolation;
      report(`${event.effectiveDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  page.on('response', (response) => {
    const status = response.status();
    if (status >= 400 && !allow(response.url(), status))
      problems.failedResponses.push(`${status} ${response.url()}`);
  });
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? '';
    // A navigation or htmx request superseded by another one is aborted on purpose.
    if (reason === 'net::ERR_ABORTED') return;
    problems.failedRequests.push(`${request.url()} ${reason}`);
  });
  page.on('console', (message) => {
    if (message.type() !== 'error' && message.type() !== 'warning') return;
    // Chromium logs every error response; those the test allows are not problems.
    const status = /^Failed to load resource: the server responded with a status of (\d{3})/.exec(
      message.text(),
    );
    if (status && allow(message.location().url, Number(status[1]))) return;
    problems.consoleErrors.push(`[${message.type()}] ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.consoleErrors.push(`[pageerror] ${error.message}`));
  return problems;
}

/**
 * Makes a context show pages as without JavaScript while axe can still run: the site's scripts are
 * served empty and the CSS written for `@media (scripting: none)` applies.
 */
export async function emulateNoScript(context: BrowserContext): Promise<void> {
  await context.route(/\.js(?:\?|$)/, (route) =>
    route.fulfill({ body: '', contentType: 'text/javascript; charset=utf-8' }),
  );
  await context.route(/\.css(?:\?|$)/, async (route) => {
    const response = await route.fetch();
    const css = (await response.text()).replaceAll('(scripting: none)', 'all');
    await route.fulfill({ response, body: css });
  });
}

/** Runs axe-core on the page and returns its violations formatted for an assertion message. */
export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n  ${v.helpUrl}\n${v.nodes
        .map((n) => `  - ${n.target.join(' ')}: ${n.failureSummary?.replaceAll('\n', ' ')}\n    ${n.html}`)
        .join('\n')}`,
  );
}

/**
 * A page that sees the site as a browser without JavaScript does, yet can run axe-core (which needs
 * JavaScript): in a JavaScript-enabled context whose scripts are empty files and where app.css's
 * `(scripting: none)` styles apply. The context is pushed on `contexts`, for the caller to close.
 */
export async function noScriptAuditPage(
  browser: Browser,
  origin: string,
  contexts: BrowserContext[],
  viewport = { width: 1280, height: 800 },
): Promise<Page> {
  const context = await browser.newContext({ baseURL: origin, locale: 'fr-FR', viewport });
  contexts.push(context);
  await emulateNoScript(context);
  return context.newPage();
}

/** Loads in `auditor` a copy of `page` as it is now (its DOM, at the same address). */
export async function loadCopy(auditor: Page, page: Page): Promise<void> {
  const html = await page.content();
  const url = page.url();
  const serve = (route: Route) => route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' });
  await auditor.route(url, serve);
  await auditor.goto(url);
  await auditor.unroute(url, serve);
}

/** Fails on anything `watchPage` recorded. */
export function expectNoProblems(problems: PageProblems) {
  expect(problems.failedResponses, 'responses with an error status').toEqual([]);
  expect(problems.failedRequests, 'requests without a response').toEqual([]);
  expect(problems.consoleErrors, 'console errors').toEqual([]);
  expect(problems.cspViolations, 'CSP violations').toEqual([]);
}

/** Waits until DSFR's JS and htmx have both started on the page. */
export async function scriptsReady(page: Page) {
  await page.waitForFunction(
    () =>
      document.documentElement.getAttribute('data-fr-js') === 'true' &&
      typeof (window as unknown as { htmx?: unknown }).htmx === 'object',
  );
}

/** The two viewports browser tests audit: a desktop and a phone. */
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** Sends the session `cookie` ("name=value", as `TestUser.cookie`) with the context's requests to `origin`. */
export async function addSessionCookie(
  context: BrowserContext,
  origin: string,
  cookie: string,
): Promise<void> {
  const [name, value] = cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: origin }]);
}

/**
 * A French context `width` px wide that sees the site with JavaScript or, when `js` is false, as
 * without it while axe can still run (see `emulateNoScript`); signed in when `cookie` is given.
 */
export async function openContext(
  browser: Browser,
  origin: string,
  options: { width: number; height?: number; js: boolean; cookie?: string },
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: origin,
    locale: 'fr-FR',
    viewport: { width: options.width, height: options.height ?? 800 },
  });
  if (!options.js) await emulateNoScript(context);
  if (options.cookie) await addSessionCookie(context, origin, options.cookie);
  return context;
}

/** Fails with axe-core's violations on the page as it is. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
}

/**
 * Pages in contexts where JavaScript is really on or off, audited by axe as the user sees them (a
 * page without JavaScript is audited as a copy, see `noScriptAuditPage`). `env` is read when a page
 * opens (the browser and server start in `beforeAll`); call `closeAll()` in `afterEach`.
 */
export function pageKit(env: () => { browser: Browser; origin: string }) {
  const contexts: BrowserContext[] = [];
  const jsEnabled = new WeakMap<Page, boolean>();
  return {
    async openPage(options: {
      javaScriptEnabled: boolean;
      viewport: { width: number; height: number };
      /** Signs the context in (`TestUser.cookie`). */
      cookie?: string;
      /** Error statuses `watchPage` lets through. */
      allow?: (url: string, status: number) => boolean;
    }): Promise<{ page: Page; problems: PageProblems }> {
      const { browser, origin } = env();
      const { cookie, allow, ...contextOptions } = options;
      const context = await browser.newContext({ baseURL: origin, locale: 'fr-FR', ...contextOptions });
      contexts.push(context);
      if (cookie) await addSessionCookie(context, origin, cookie);
      const page = await context.newPage();
      jsEnabled.set(page, options.javaScriptEnabled);
      const problems = await watchPage(page, allow);
      return { page, problems };
    },
    /** axe-core on the page as the user sees it. */
    async expectAccessible(page: Page): Promise<void> {
      let audited = page;
      if (!jsEnabled.get(page)) {
        const { browser, origin } = env();
        audited = await noScriptAuditPage(browser, origin, contexts, page.viewportSize() ?? DESKTOP);
        await loadCopy(audited, page);
      }
      const violations = await axeViolations(audited);
      expect(violations, `axe violations on ${page.url()}:\n${violations.join('\n')}`).toEqual([]);
    },
    async closeAll(): Promise<void> {
      await Promise.all(contexts.splice(0).map((context) => context.close()));
    },
  };
}
