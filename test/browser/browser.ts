import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium package (scripts/ensure-deps.mjs installs it for tests); no browser is downloaded. */
export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  // the tests run as root in containers, where Chromium's sandbox cannot start
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core's serious and critical findings on the page as it stands. The pages' CSP refuses script tags
 * that are not theirs, so axe is evaluated through the DevTools protocol (page.evaluate), which CSP does
 * not govern; the page itself is unchanged.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    // runs in the page: its globals, which this project's Node types do not describe
    const { axe, document } = globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> }; document: unknown };
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The page's globals, as the functions evaluated in it see them (this project's Node types do not describe the DOM). */
interface InPage {
  document: {
    documentElement: { scrollWidth: number; clientWidth: number };
    activeElement: ({ textContent: string | null } & object) | null;
  };
  getComputedStyle(element: object): { outlineStyle: string; outlineWidth: string };
}

/** How many CSS pixels the page is wider than its window: above 0, the reader must scroll sideways. */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = (globalThis as unknown as InPage).document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
}

/** The focused element's text and its focus outline, as drawn. */
export function focused(page: Page): Promise<{ text: string; outline: string }> {
  return page.evaluate(() => {
    const g = globalThis as unknown as InPage;
    const element = g.document.activeElement;
    if (!element) return { text: '', outline: 'none' };
    const style = g.getComputedStyle(element);
    return { text: (element.textContent ?? '').trim(), outline: `${style.outlineStyle} ${style.outlineWidth}` };
  });
}
