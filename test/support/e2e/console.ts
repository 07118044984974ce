import fs from 'node:fs';
import path from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startStack, type Stack } from './stack';

/** Debian's Chromium (scripts/console-browser.js installs it when missing, as root with apt-get): playwright-core's own download needs the internet. */
export const CHROMIUM = process.env.VIGIL_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(
      `no Chromium at ${CHROMIUM}: run apt-get install -y chromium (the bootstrap does when it runs as root with apt-get), or set VIGIL_CHROMIUM`,
    );
  // As root (CI containers) Chromium refuses its sandbox; the pages are this repository's own.
  return chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
}

/** Where a test's screenshots go (ignored by git); the README's are copied from here to docs/screenshots/. */
export function outputDir(test: string): string {
  const dir = path.join(__dirname, '..', '..', '..', '.data', 'test-output', test);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * axe-core's violations of WCAG 2.x A and AA on the page as it is. Run by evaluation, not by a script tag: the
 * console's Content-Security-Policy allows no inline script, and the test must not loosen it.
 */
export async function axeViolations(page: Page): Promise<{ id: string; nodes: string[] }[]> {
  await page.evaluate(axe.source);
  // Evaluated in the page, where `axe` is the global the source above defined (this file's tsconfig knows no DOM).
  const result = await page.evaluate<axe.AxeResults>(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })",
  );
  return result.violations.map((violation) => ({ id: violation.id, nodes: violation.nodes.map((node) => node.html) }));
}

/**
 * Saves the page under the test's output folder; with UPDATE_SCREENSHOTS=1, also as the README's, under
 * docs/screenshots/ (opt-in, as RECORD_HISTORIES=1 is for replay histories: a test run leaves the checkout clean).
 */
export async function screenshot(page: Page, dir: string, name: string): Promise<void> {
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  const docs = path.join(__dirname, '..', '..', '..', 'docs', 'screenshots');
  fs.mkdirSync(docs, { recursive: true });
  fs.copyFileSync(file, path.join(docs, `${name}.png`));
}

export async function expectAccessible(page: Page): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
}

/** A console test file's real stack and Chromium; its fields are there once the file's first beforeAll has run. */
export interface ConsoleInBrowser {
  readonly stack: Stack;
  /** The console's origin: the API's, without /v1. */
  readonly origin: string;
  /** The file's screenshots (outputDir). */
  readonly dir: string;
  /** A page in a browser context of its own, signed out (downloads accepted). */
  newPage: (viewport?: Viewport) => Promise<Page>;
  /** Signs the person in through the sign-in page, in a browser context of its own, and gives the page it lands on. */
  signedIn: (email: string, viewport?: Viewport) => Promise<Page>;
}

export interface Viewport {
  width: number;
  height: number;
}

/** The password the files give the people they sign in: long enough for the console's rule. */
export const CONSOLE_PASSWORD = 'a long enough secret';

/**
 * Starts the stack and Chromium in a beforeAll of the calling describe (declare it before the file's own, which then
 * finds them started) and closes every context, the browser and the stack in its afterAll.
 */
export function consoleInBrowser(name: string): ConsoleInBrowser {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const dir = outputDir(name);
  beforeAll(async () => {
    stack = await startStack(name);
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await stack?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error(`${name}: the console's stack is started in beforeAll`);
    return value;
  };
  const originOf = () => started(stack).baseUrl.replace(/\/v1$/, '');
  const newPage = async (viewport: Viewport = { width: 1366, height: 768 }) => {
    const context = await started(browser).newContext({ viewport, acceptDownloads: true });
    contexts.push(context);
    return context.newPage();
  };
  return {
    get stack() {
      return started(stack);
    },
    get origin() {
      return originOf();
    },
    dir,
    newPage,
    signedIn: async (email, viewport) => {
      const page = await newPage(viewport);
      const origin = originOf();
      // Any console page sends a person signed out to sign in, and back once signed in.
      await page.goto(`${origin}/console/`);
      await page.waitForURL(/\/console\/sign-in/);
      await page.getByLabel('E-mail address').fill(email);
      await page.getByLabel('Password').fill(CONSOLE_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${origin}/console/`);
      return page;
    },
  };
}
