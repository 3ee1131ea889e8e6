import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserAgent, formAction, hiddenFields } from './browser-agent';

/**
 * The hub environment of development test-card mode (JPKI_TEST_CARD=true): the hub keeps its JPKI
 * test CA under `dataDir` — by default a new folder removed when the test process exits, so that a
 * hub restarted with the same environment keeps the same test CA (and its cards stay valid).
 */
export function testCardEnv(dataDir?: string): Record<string, string> {
  let dir = dataDir;
  if (!dir) {
    const made = mkdtempSync(join(tmpdir(), 'tsunagu-test-card-'));
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
    dir = made;
  }
  return { JPKI_TEST_CARD: 'true', DATA_DIR: dir };
}

/**
 * Verifies the identity of the resident signed in with `agent` as the portal's own button does:
 * `/account/verify`, then "テスト用カードで本人確認する" (the hub must run in test-card mode,
 * {@link testCardEnv}). A data use that requires a verified identity (the seed's
 * `cashless.health-points`) refuses an opt-in before this (`identity_not_verified`).
 */
export async function verifyWithTestCard(agent: BrowserAgent, hubUrl: string): Promise<void> {
  const page = await agent.follow(`${hubUrl}/account/verify`);
  const html = await page.res.text();
  const action = formAction(html, '/account/verify/test-card', page.url);
  if (!action) throw new Error(`no test card on ${page.url} (status ${page.res.status}): is the hub in test-card mode (JPKI_TEST_CARD=true)?`);
  const done = await agent.follow(action, { form: hiddenFields(html, '/account/verify/test-card') });
  const text = await done.res.text();
  if (new URL(done.url).searchParams.get('done') !== '1') throw new Error(`test card refused (status ${done.res.status}): ${text.slice(0, 500)}`);
}
