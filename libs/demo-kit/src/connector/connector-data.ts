import { ConnectorClient, ConnectorSdkError } from '@tsunagu/connector-sdk';
import { html, t, type Msg, type SafeHtml } from '@tsunagu/web';
import type { DemoSettings } from '../demo-settings';
import { supportDetails, type ViewContext, withLang } from '../web/demo-views';

/** Nest token of the demo's {@link ConnectorClient} (its own connector's SDK), or null when not configured. */
export const CONNECTOR_CLIENT = Symbol('CONNECTOR_CLIENT');

/** The SDK client of the demo's own connector (CONNECTOR_SDK_URL, CONNECTOR_SDK_TOKEN), or null. */
export function connectorClientFor(settings: DemoSettings, http?: typeof fetch): ConnectorClient | null {
  if (!settings.connectorSdkUrl) return null;
  return new ConnectorClient({ baseUrl: settings.connectorSdkUrl, token: settings.connectorSdkToken, timeoutMs: 10_000, fetch: http });
}

/** What a member page shows after asking its connector: the data, or why not (in words; the code is for support). */
export type ConnectorOutcome<T> = { ok: true; value: T } | ConnectorProblem;

/** A refusal or failure of the connector, as a member page shows it. */
export interface ConnectorProblem {
  ok: false;
  /** The SDK's code, shown only in the 「詳細」 disclosure for support. */
  code: string;
  problem: Msg;
  /** The hub portal's opt-in page when the resident's consent is what is missing. */
  optIn?: string;
  /** The connector's correlation ID, for support. */
  correlationId?: string;
}

/** Codes answered when the resident's consent does not cover the request: the fix is the hub portal's opt-in page. */
const CONSENT_CODES = new Set(['consent_required', 'consent_withdrawn', 'consent_paused', 'items_not_consented', 'consent_revoked']);

const problems: Record<string, Msg> = {
  consent_required: { ja: 'このデータの連携には、Tottori ID ポータルでの同意が必要です。', en: 'Sharing this data needs your consent on the Tottori ID portal.' },
  consent_withdrawn: { ja: '同意が撤回されているため、データを受け取れません。もう一度同意すると利用できます。', en: 'You withdrew your consent, so the data cannot be received. Consent again to use it.' },
  consent_revoked: { ja: '同意が撤回または変更されたため、データを受け取れません。', en: 'Your consent was withdrawn or changed, so the data cannot be received.' },
  consent_paused: { ja: '利用目的などが変わったため、同意の確認が必要です。', en: 'The terms changed: please review and confirm your consent.' },
  items_not_consented: { ja: 'このサービスが必要とする項目に同意されていません。同意の内容を確認してください。', en: 'Your consent does not cover the items this service needs. Please review it.' },
  resident_not_linked: { ja: '相手のサービスのアカウントが Tottori ID と連携されていません。先に相手のサービスで連携してください。', en: 'Your account at the other service is not linked with Tottori ID yet. Link it there first.' },
  data_use_not_found: { ja: 'このデータ連携は現在 Tottori ID に登録されていないため、利用できません。', en: 'This data sharing is not registered with Tottori ID at the moment, so it cannot be used.' },
  not_configured: { ja: 'このサービスのコネクタが設定されていません。', en: 'This service has no connector configured.' },
};

/**
 * Asks the connector and turns every SDK refusal into a message for the resident; consent problems
 * carry the link to the hub portal's opt-in page for `dataUse`.
 */
export async function askConnector<T>(client: ConnectorClient | null, hubUrl: string, dataUse: string, call: (client: ConnectorClient) => Promise<T>): Promise<ConnectorOutcome<T>> {
  if (!client) return { ok: false, code: 'not_configured', problem: problems.not_configured };
  try {
    return { ok: true, value: await call(client) };
  } catch (error) {
    if (!(error instanceof ConnectorSdkError)) throw error;
    // The SDK's words; a refusal worth retrying says so when its message does not already.
    const again = error.retryable && !/お試しください/.test(error.messageJa);
    const problem = problems[error.code] ?? {
      ja: `データを受け取れませんでした。${error.messageJa}${again ? '時間をおいてもう一度お試しください。' : ''}`,
      en: `The data could not be received. ${error.messageEn}${again ? ' Please try again later.' : ''}`,
    };
    return {
      ok: false, code: error.code, problem, optIn: CONSENT_CODES.has(error.code) ? optInUrl(hubUrl, dataUse) : undefined,
      ...(error.correlationId ? { correlationId: error.correlationId } : {}),
    };
  }
}

/** The hub portal's page of a data use, where the resident opts in or changes the items. */
export function optInUrl(hubUrl: string, dataUse: string): string {
  return `${hubUrl.replace(/\/+$/, '')}/portal/data-uses/${encodeURIComponent(dataUse)}`;
}

/** The link to the hub portal's page of the data use, to review or change the consent. */
export function optInLink(ctx: ViewContext, href: string): SafeHtml {
  return html`<p><a class="button" href="${withLang(href, ctx.lang)}" data-testid="opt-in-link">${t(ctx.lang, { ja: 'Tottori ID ポータルで同意を確認する', en: 'Review consent on the Tottori ID portal' })}</a></p>`;
}

/**
 * The refusal box of a member page section: the words, the opt-in link when consent is the problem
 * (a normal outcome, so a notice rather than an alert), and the code only inside 「詳細」.
 */
export function connectorProblemView(ctx: ViewContext, outcome: Omit<ConnectorProblem, 'ok'>): SafeHtml {
  const { lang } = ctx;
  const consent = !!outcome.optIn;
  return html`<div class="${consent ? 'notice' : 'alert'}" role="${consent ? 'status' : 'alert'}" data-code="${outcome.code}" data-testid="connector-problem"><p>${t(lang, outcome.problem)}</p>
${outcome.optIn ? optInLink(ctx, outcome.optIn) : ''}
${supportDetails(ctx, [
    { label: { ja: 'コード', en: 'Code' }, value: outcome.code },
    ...(outcome.correlationId ? [{ label: { ja: 'お問い合わせ番号', en: 'Reference' }, value: outcome.correlationId }] : []),
  ])}</div>`;
}
