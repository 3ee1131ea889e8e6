import { ConnectorClient, ConnectorSdkError } from '@tsunagu/connector-sdk';
import { html, t, type Msg, type SafeHtml } from '@tsunagu/web';
import type { DemoSettings } from '../demo-settings';
import { type ViewContext, withLang } from '../web/demo-views';

/** Nest token of the demo's {@link ConnectorClient} (its own connector's SDK), or null when not configured. */
export const CONNECTOR_CLIENT = Symbol('CONNECTOR_CLIENT');

/** The SDK client of the demo's own connector (CONNECTOR_SDK_URL, CONNECTOR_SDK_TOKEN), or null. */
export function connectorClientFor(settings: DemoSettings, http?: typeof fetch): ConnectorClient | null {
  if (!settings.connectorSdkUrl) return null;
  return new ConnectorClient({ baseUrl: settings.connectorSdkUrl, token: settings.connectorSdkToken, timeoutMs: 10_000, fetch: http });
}

/** What a member page shows after asking its connector: the data, or why not. */
export type ConnectorOutcome<T> = { ok: true; value: T } | { ok: false; code: string; problem: Msg; optIn?: string };

/** Codes answered when the resident's consent does not cover the request: the fix is the hub portal's opt-in page. */
const CONSENT_CODES = new Set(['consent_required', 'consent_withdrawn', 'consent_paused', 'items_not_consented', 'consent_revoked']);

const problems: Record<string, Msg> = {
  consent_required: { ja: 'このデータの連携には、Tottori ID ポータルでの同意が必要です。', en: 'Sharing this data needs your consent on the Tottori ID portal.' },
  consent_withdrawn: { ja: '同意が撤回されているため、データを受け取れません。もう一度同意すると利用できます。', en: 'You withdrew your consent, so the data cannot be received. Consent again to use it.' },
  consent_revoked: { ja: '同意が撤回または変更されたため、データを受け取れません。', en: 'Your consent was withdrawn or changed, so the data cannot be received.' },
  consent_paused: { ja: '利用目的などが変わったため、同意の確認が必要です。', en: 'The terms changed: please review and confirm your consent.' },
  items_not_consented: { ja: '同意していない項目が含まれています。同意の内容を確認してください。', en: 'Some items are not covered by your consent. Please review it.' },
  resident_not_linked: { ja: '相手のサービスのアカウントが Tottori ID と連携されていません。先に相手のサービスで連携してください。', en: 'Your account at the other service is not linked with Tottori ID yet. Link it there first.' },
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
    const problem = problems[error.code] ?? {
      ja: `データを受け取れませんでした（${error.messageJa}）。時間をおいてもう一度お試しください。`,
      en: `The data could not be received (${error.messageEn}). Please try again later.`,
    };
    const optIn = CONSENT_CODES.has(error.code) ? `${hubUrl.replace(/\/+$/, '')}/portal/data-uses/${encodeURIComponent(dataUse)}` : undefined;
    return { ok: false, code: error.code, problem, optIn };
  }
}

/** The refusal box of a member page section, with the opt-in link when consent is the problem. */
export function connectorProblemView(ctx: ViewContext, outcome: { code: string; problem: Msg; optIn?: string }): SafeHtml {
  const { lang } = ctx;
  return html`<div class="alert" role="alert" data-code="${outcome.code}"><p>${t(lang, outcome.problem)}</p>
${outcome.optIn ? html`<p><a class="button" href="${withLang(outcome.optIn, lang)}" data-testid="opt-in-link">${t(lang, { ja: 'Tottori ID ポータルで同意を確認する', en: 'Review consent on the Tottori ID portal' })}</a></p>` : ''}
<p class="hint">${t(lang, { ja: 'コード', en: 'Code' })}: <span class="mono">${outcome.code}</span></p></div>`;
}
