import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConnectorClient, ConnectorSdkError, type DemoItems } from '@tsunagu/connector-sdk';
import { PROVISION_OUTCOME_LABELS } from '@tsunagu/contracts';
import { BrowserAgent, formAction, hiddenFields, verifyWithTestCard } from '@tsunagu/testing';
import type { DevTokens } from './connector-dev';

/**
 * `npm run demo`: a scripted walk-through against a running `npm start` (development only):
 * link → opt in → exchange → the ledger → opt out → exchange refused. The resident acts through the
 * hub's portal JSON API with their own session (docs/consent.md); the cashless base asks its
 * connector through the SDK (libs/connector-sdk), exactly as the demo service does.
 */
const root = join(__dirname, '..', '..');
const write = (line = '') => process.stdout.write(`${line}\n`);

const hubUrl = process.env.PUBLIC_URL ?? 'http://localhost:3000';
const cashlessUrl = process.env.DEMO_CASHLESS_PUBLIC_URL ?? 'http://localhost:3101';
const misasaUrl = process.env.DEMO_MISASA_PUBLIC_URL ?? 'http://localhost:3102';
const cashlessConnector = 'http://127.0.0.1:3201';
const misasaConnector = 'http://127.0.0.1:3202';

const RESIDENT = { loginId: 'tottori.taro', password: 'tsunagu-demo-2026', name: '鳥取 太郎' };
const CASHLESS = { localId: 'C-2026-0001', pin: '1111' };
const MISASA = { localId: 'MH-0001', pin: '1111' };
const DATA_USE = 'cashless.health-points';
const PURPOSE = 'health-points';
type HealthItems = Pick<DemoItems, 'misasa-health.daily-steps' | 'misasa-health.onsen-visits'>;
const ITEMS: (keyof HealthItems)[] = ['misasa-health.daily-steps', 'misasa-health.onsen-visits'];

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

let stepNo = 0;
function step(ja: string, en: string): void {
  stepNo += 1;
  write();
  write(`━━ ${stepNo}. ${ja} / ${en}`);
}
const info = (line: string) => write(`   ${line}`);
const ok = (ja: string, en: string) => write(`   ✔ ${ja} / ${en}`);
const no = (ja: string, en: string) => write(`   ✘ ${ja} / ${en}`);

class DemoFailure extends Error {}

async function reachable(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
}

const agent = new BrowserAgent();
let csrf = '';

async function portal(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await agent.request(`${hubUrl}${path}`, {
    method,
    headers: { accept: 'application/json', ...(method === 'GET' ? {} : { 'content-type': 'application/json', 'x-csrf-token': csrf }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed };
}

async function signInAtHub(): Promise<void> {
  const start = await agent.follow(`${hubUrl}/account/login`);
  const loginPage = await start.res.text();
  const action = formAction(loginPage, '/login', start.url);
  if (!action) throw new DemoFailure('the hub sign-in page has no form');
  await agent.follow(action, { form: { ...hiddenFields(loginPage, '/login'), loginId: RESIDENT.loginId, password: RESIDENT.password } });
  const me = await portal('GET', '/api/v1/portal/me');
  if (me.status !== 200 || !me.body.csrfToken) throw new DemoFailure(`sign-in at the hub failed (${me.status})`);
  csrf = me.body.csrfToken;
}

/** Signs in to a demo service with the Tottori ID and links the local account (ID + PIN) if needed. */
async function linkAt(serviceUrl: string, account: { localId: string; pin: string }): Promise<'linked' | 'already'> {
  let { res, url } = await agent.follow(`${serviceUrl}/auth/login`);
  let page = await res.text();
  // The hub asks once per service whether the resident lets it sign them in (許可する / allow).
  const confirm = url.startsWith(hubUrl) ? formAction(page, '/confirm', url) : undefined;
  if (confirm) {
    info(`ハブで ${serviceUrl} へのサインインを許可 / allowing the sign-in at the hub`);
    ({ res, url } = await agent.follow(confirm, { form: hiddenFields(page, '/confirm') }));
    page = await res.text();
  }
  if (new URL(url).pathname === '/member') return 'already';
  if (new URL(url).pathname !== '/link') throw new DemoFailure(`sign-in at ${serviceUrl} ended at ${url} (${res.status})`);
  const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
  if (!token) throw new DemoFailure(`no link form at ${serviceUrl}`);
  const linked = await agent.follow(`${serviceUrl}/link`, { form: { _csrf: token, localId: account.localId, pin: account.pin } });
  if (!new URL(linked.url).pathname.startsWith('/member')) throw new DemoFailure(`linking ${account.localId} failed (${linked.res.status} at ${linked.url})`);
  return 'linked';
}

function sdkClient(): ConnectorClient {
  const file = join(root, 'data', 'connectors', 'dev-tokens.json');
  const tokens = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as DevTokens : undefined;
  return new ConnectorClient({ baseUrl: cashlessConnector, token: tokens?.cashless?.sdkToken, timeoutMs: 10_000 });
}

async function exchange(client: ConnectorClient): Promise<{ ok: true; items: HealthItems } | { ok: false; error: ConnectorSdkError }> {
  try {
    const res = await client.request<HealthItems>({
      localId: CASHLESS.localId, dataUse: DATA_USE, purpose: PURPOSE, items: ITEMS,
    });
    return { ok: true, items: res.items };
  } catch (error) {
    if (error instanceof ConnectorSdkError) return { ok: false, error };
    throw error;
  }
}

/** A refusal in words (the SDK's messages, from CONNECTOR_ERROR_MESSAGES); the code for support on its own line. */
function showRefusal(error: ConnectorSdkError): void {
  info(error.messageJa);
  info(error.messageEn);
  info(`（詳細 / details: ${error.code}, HTTP ${error.status}${error.correlationId ? `, ${error.correlationId}` : ''}）`);
}

/** Item names of the data use, from the hub's catalog (codes are for machines). */
let itemNames = new Map<string, { ja: string; en: string }>();
const itemName = (code: string) => itemNames.get(code) ?? { ja: code, en: code };
const itemList = (codes: string[], lang: 'ja' | 'en') => codes.map((c) => itemName(c)[lang]).join(lang === 'ja' ? '、' : ', ');

async function currentConsent(): Promise<Json | null> {
  const res = await portal('GET', `/api/v1/portal/data-uses/${DATA_USE}`);
  if (res.status !== 200) throw new DemoFailure(`the data use ${DATA_USE} is not in the hub's catalog (${res.status})`);
  return res.body.consent;
}

async function main(): Promise<number> {
  write('Tsunagu デモ: 連携 → 同意 → データ連携 → 提供記録 → 同意撤回 → 連携拒否');
  write('Tsunagu demo: link → opt in → exchange → provision ledger → opt out → exchange refused');
  if (process.env.NODE_ENV === 'production') {
    write('NODE_ENV=production: the demo uses the development residents and tokens; refusing.');
    return 64;
  }

  step('起動確認', 'Checking the running platform');
  const services: [string, string][] = [
    ['hub', `${hubUrl}/health`], ['demo-cashless', `${cashlessUrl}/health`], ['demo-misasa-health', `${misasaUrl}/health`],
    ['connector-cashless', `${cashlessConnector}/health`], ['connector-misasa-health', `${misasaConnector}/health`],
  ];
  const down = [];
  for (const [name, url] of services) if (!(await reachable(url))) down.push(name);
  if (down.length) {
    no(`起動していません: ${down.join(', ')}`, `not running: ${down.join(', ')}`);
    info('別の端末で `npm start` を実行してから、もう一度 `npm run demo` を実行してください。');
    info('Run `npm start` in another terminal, then `npm run demo` again.');
    return 1;
  }
  ok('ハブ、デモサービス2つ、コネクタ2つが動いています', 'the hub, both demo services and both connectors are up');
  const client = sdkClient();

  step('住民がとっとりIDでサインイン', `The resident signs in with the Tottori ID (${RESIDENT.loginId}, ${RESIDENT.name})`);
  await signInAtHub();
  ok('ハブのポータルにサインインしました', 'signed in to the hub portal');

  step('サービスのアカウントを連携', 'Linking the local accounts');
  for (const [label, url, account] of [['キャッシュレス決済基盤 / cashless base', cashlessUrl, CASHLESS], ['三朝温泉ヘルスケアアプリ / Misasa health app', misasaUrl, MISASA]] as const) {
    const result = await linkAt(url, account);
    ok(`${label}: ${account.localId} ${result === 'linked' ? 'を連携しました' : 'は連携済みです'}`, result === 'linked' ? 'linked' : 'already linked');
  }
  const links = await portal('GET', '/api/v1/portal/links');
  if (links.status === 200 && Array.isArray(links.body)) info(`ポータルの連携サービス / linked services at the portal: ${links.body.length}`);

  const dataUse = await portal('GET', `/api/v1/portal/data-uses/${DATA_USE}`);
  if (dataUse.status !== 200) throw new DemoFailure(`the data use ${DATA_USE} is not in the hub's catalog (${dataUse.status})`);
  itemNames = new Map((dataUse.body.dataUse.items as Json[]).map((i) => [i.code, i.name]));

  // The walk-through starts from no consent: a consent left active by an earlier run is withdrawn, as its own step.
  const before = await currentConsent();
  if (before?.state === 'active') {
    step('前回の実行で残っている同意を撤回', 'Withdrawing the consent an earlier run left active');
    const undone = await portal('POST', `/api/v1/portal/consents/${before.consentId}/withdraw`, { expectedVersion: before.version });
    if (undone.status !== 200) throw new DemoFailure(`withdrawing the earlier consent was refused (${undone.status}): ${JSON.stringify(undone.body)}`);
    ok('撤回しました。このデモは同意のない状態から始めます', 'withdrawn: the walk-through starts from no consent');
    await new Promise((r) => setTimeout(r, 1500));
  }

  // A first run has no consent at all; a later one has the withdrawn (or expired) consent of the runs before.
  if (before) step('有効な同意がない状態でデータ連携を試す', 'Exchange without an active consent (must be refused)');
  else step('同意する前にデータ連携を試す', 'Exchange before opting in (must be refused)');
  info(`キャッシュレス決済基盤が SDK で三朝温泉ヘルスケアアプリの${itemList(ITEMS, 'ja')}を要求します`);
  info(`the cashless base asks its connector (SDK) for the Misasa health app's ${itemList(ITEMS, 'en')}`);
  const refusedFirst = await exchange(client);
  if (refusedFirst.ok) no('同意がないのにデータが渡されました', 'data was provided without consent');
  else {
    ok('拒否されました', 'refused');
    showRefusal(refusedFirst.error);
  }

  // The data use requires a verified identity: a resident who has not verified does so first (here with the development test card).
  if (dataUse.body.identityRequired) {
    step('マイナンバーカード（テスト用カード）で本人確認', 'Verifying the identity with the My Number card (the development test card)');
    info('このデータ利用は、マイナンバーカードで本人確認した住民だけが同意できます');
    info('only residents verified with the My Number card may consent to this data use');
    await verifyWithTestCard(agent, hubUrl);
    ok('本人確認が完了しました', 'identity verified');
  }

  step('ポータルで同意（オプトイン）', 'Opting in at the hub portal');
  info(`${dataUse.body.dataUse.title.ja} / ${dataUse.body.dataUse.title.en}`);
  info(`項目: ${itemList(ITEMS, 'ja')} / items: ${itemList(ITEMS, 'en')}`);
  info(`目的: ${dataUse.body.dataUse.purpose.description.ja}`);
  info(`purpose: ${dataUse.body.dataUse.purpose.description.en}`);
  const given = await portal('POST', '/api/v1/portal/consents', { dataUse: DATA_USE, items: ITEMS, expectedVersion: (await currentConsent())?.version ?? 0 });
  if (given.status !== 201) throw new DemoFailure(`opt-in refused (${given.status}): ${JSON.stringify(given.body)}`);
  const consent = await currentConsent();
  ok(`同意しました（同意ID ${consent.consentId}、版 ${consent.version}）`, `consent given (version ${consent.version}, receipt ${consent.receiptId})`);
  info(`同意画面 / opt-in page: ${hubUrl}/portal/data-uses/${DATA_USE}`);

  step('データ連携（コネクタ間）', 'Exchange, connector to connector');
  const exchanged = await exchange(client);
  if (!exchanged.ok) {
    no('データ連携が拒否されました', 'the exchange was refused');
    showRefusal(exchanged.error);
  } else {
    const steps = exchanged.items['misasa-health.daily-steps'];
    const visits = exchanged.items['misasa-health.onsen-visits'];
    ok('三朝温泉ヘルスケアアプリからデータを受け取りました', 'items received from the Misasa health app');
    info(`歩数 / daily steps: ${steps.length} 日 / days, 合計 / total ${steps.reduce((s, d) => s + d.steps, 0)} 歩 / steps`);
    for (const d of steps.slice(-3)) info(`  ${d.date}  ${d.steps}`);
    info(`温泉利用 / onsen visits: ${visits.length} 回 / visits`);
    for (const v of visits.slice(-3)) info(`  ${v.date}  ${v.facilityName}`);
  }

  step('提供記録を見る', 'The provision ledger (who received my data)');
  // Connectors report exchanges to the hub asynchronously: give the report a few seconds to arrive.
  let ledger = await portal('GET', '/api/v1/portal/provisions');
  const seen = (body: Json) => (body?.provisions ?? []).some((p: Json) => p.dataUse === DATA_USE && p.consentId === consent.consentId && p.consentVersion === consent.version);
  for (let i = 0; i < 15 && exchanged.ok && ledger.status === 200 && !seen(ledger.body); i++) {
    await new Promise((r) => setTimeout(r, 200));
    ledger = await portal('GET', '/api/v1/portal/provisions');
  }
  const provisions: Json[] = ledger.status === 200 ? ledger.body.provisions ?? [] : [];
  if (ledger.status !== 200) no(`提供記録を取得できません（${ledger.status}）`, `the ledger could not be read (${ledger.status})`);
  else if (seen(ledger.body)) ok('この連携が提供記録に載りました', 'this exchange is in the ledger');
  else if (exchanged.ok) {
    no('この連携の提供記録がまだ届いていません（コネクタは数秒以内にハブへ報告します）', 'no ledger entry for this exchange yet (connectors report to the hub within seconds)');
  }
  for (const p of provisions.slice(0, 5)) {
    const outcome = PROVISION_OUTCOME_LABELS[p.outcome as 'provided' | 'refused'] ?? { ja: p.outcome, en: p.outcome };
    info(`${p.occurredAt}  ${p.provider.name.ja} → ${p.consumer.name.ja}  ${itemList(p.items, 'ja')}  ${outcome.ja} / ${outcome.en}`);
  }
  info(`ポータル / portal page: ${hubUrl}/portal/provisions`);

  step('同意を撤回（オプトアウト）', 'Opting out at the hub portal');
  const withdrawn = await portal('POST', `/api/v1/portal/consents/${consent.consentId}/withdraw`, { expectedVersion: consent.version });
  if (withdrawn.status !== 200) throw new DemoFailure(`opt-out refused (${withdrawn.status}): ${JSON.stringify(withdrawn.body)}`);
  const withdrawnAt = Date.now();
  ok('同意を撤回しました', 'consent withdrawn');

  step('撤回後にデータ連携を試す', 'Exchange after opting out (must be refused)');
  let after = await exchange(client);
  while (after.ok && Date.now() - withdrawnAt < 5000) {
    await new Promise((r) => setTimeout(r, 50));
    after = await exchange(client);
  }
  if (after.ok) no('撤回後もデータが渡されました', 'data was still provided after the opt-out');
  else {
    ok(`拒否されました（撤回から ${Date.now() - withdrawnAt} ms）`, `refused (${Date.now() - withdrawnAt} ms after the opt-out)`);
    showRefusal(after.error);
  }

  write();
  write('デモ終了 / Demo finished.');
  return after.ok || refusedFirst.ok || !exchanged.ok ? 1 : 0;
}

main().then((code) => process.exit(code), (error) => {
  write(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
