import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { ROOT } from './processes';

export const ARTIFACTS = join(ROOT, 'test', 'artifacts');

/**
 * Debian's Chromium driven by playwright-core (no browser download). The flags keep it off the
 * network: this machine has none but loopback.
 */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

/** Full-page screenshot under test/artifacts/ (not committed). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export interface AxeViolation { id: string; impact: string; help: string; nodes: { target: string[] }[] }
interface AxeResult { violations: AxeViolation[]; passes: unknown[] }

const AXE = join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');

/** Runs axe-core (WCAG 2.1 A/AA and best practices) on the page; returns the violations, shortened. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<AxeResult> } })
    .axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }));
  // A run that checked nothing would pass every page: make sure the rules really ran.
  if (result.passes.length <= 10) throw new Error(`axe-core checked almost nothing (${result.passes.length} passes)`);
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })) }));
}

/** At a demo service's linking page (after the first Tottori ID sign-in), links the member number. */
export async function linkIfAsked(page: Page, localId: string, pin: string): Promise<void> {
  if (!page.url().includes('/link')) return;
  await page.fill('#localId', localId);
  await page.fill('#pin', pin);
  await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]:has-text("連携する")')]);
}

/**
 * In a signed-in resident's page, verifies their identity with the hub's development test card
 * (the hub runs with `testCardEnv`), as a resident would click it on `/account/verify`: a data use
 * that requires a verified identity (`cashless.health-points`) offers no opt-in before this.
 */
export async function verifyWithTestCardIn(page: Page, hubUrl: string): Promise<void> {
  await page.goto(`${hubUrl}/account/verify`);
  await Promise.all([page.waitForURL(/\/account\/verify\?done=1$/), page.click('form[action="/account/verify/test-card"] button[type=submit]')]);
}
