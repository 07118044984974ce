import fs from 'node:fs';
import path from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (scripts/console-browser.js installs it on CI): playwright-core's own download needs the internet. */
export const CHROMIUM = process.env.VIGIL_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run apt-get install -y chromium (the bootstrap does with CI=true), or set VIGIL_CHROMIUM`);
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
  const result = await page.evaluate<axe.AxeResults>("axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })");
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
