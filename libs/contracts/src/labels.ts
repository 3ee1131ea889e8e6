import { Acr, type AcrValue, Amr, type AmrValue } from './assurance';
import type { ProvisionReport } from './connector-provisions';
import type { ProvisionReceipt } from './consent-portal';
import type { BilingualText, ConsentState } from './consent';

/**
 * Words for the codes people see that have no words elsewhere (CONVENTIONS.md §17): screens show
 * these labels and keep the code itself for support (e.g. in a 「詳細」 disclosure). Error codes
 * have their words in the `*_ERROR_MESSAGES` tables (e.g. `CONNECTOR_ERROR_MESSAGES`).
 */

/** What each authentication context class (`acr` of an ID token) means to the resident. */
export const ACR_LABELS: Record<AcrValue, BilingualText> = {
  [Acr.Password]: { ja: 'パスワードでログイン（本人確認なし）', en: 'Signed in with a password (identity not confirmed)' },
  [Acr.JpkiVerified]: { ja: 'マイナンバーカードで本人確認済み', en: 'Identity confirmed with the My Number card' },
};

/** How each authentication method (`amr` of an ID token, RFC 8176) is named to the resident. */
export const AMR_LABELS: Record<AmrValue, BilingualText> = {
  [Amr.Password]: { ja: 'パスワード', en: 'Password' },
  [Amr.SmartCard]: { ja: 'IC カード（マイナンバーカード）', en: 'Smart card (My Number card)' },
  [Amr.HardwareKey]: { ja: '端末に保護された鍵', en: 'Hardware-protected key' },
};

/** The states of a consent version, as a resident reads them. */
export const CONSENT_STATE_LABELS: Record<ConsentState, BilingualText> = {
  active: { ja: '同意しています', en: 'Consented' },
  withdrawn: { ja: '同意を撤回しました', en: 'Withdrawn' },
  expired: { ja: '有効期限が切れました', en: 'Expired' },
  paused: { ja: '一時停止中（もう一度の同意が必要です）', en: 'Paused (your decision is needed again)' },
  ended: { ja: 'データ利用が終了しました', en: 'The data use is over' },
};

/** The outcome of one exchange in the provision ledger (提供記録). */
export const PROVISION_OUTCOME_LABELS: Record<ProvisionReport['outcome'], BilingualText> = {
  provided: { ja: '提供されました', en: 'Provided' },
  refused: { ja: '提供が拒否されました', en: 'Refused' },
};

/** What the ledger says of a provided exchange, by whether its recipient confirmed receipt ({@link ProvisionReceipt}). */
export const PROVISION_RECEIPT_LABELS: Record<ProvisionReceipt, BilingualText> = {
  confirmed: { ja: '提供されました', en: 'Provided' },
  pending: { ja: '提供されました（受け取りを確認中です）', en: 'Provided; confirming receipt' },
  unconfirmed: { ja: '提供されましたが、受け取りは確認できていません', en: 'Provided; receipt not confirmed' },
};

/** The label of an `acr` value; a value the platform does not publish is named as such, never shown raw. */
export function acrLabel(acr: string): BilingualText {
  return Object.prototype.hasOwnProperty.call(ACR_LABELS, acr)
    ? ACR_LABELS[acr as AcrValue]
    : { ja: 'その他の認証レベル', en: 'Another assurance level' };
}

/** The label of an `amr` value; a method the platform does not publish is named as such, never shown raw. */
export function amrLabel(amr: string): BilingualText {
  return Object.prototype.hasOwnProperty.call(AMR_LABELS, amr)
    ? AMR_LABELS[amr as AmrValue]
    : { ja: 'その他の方法', en: 'Another method' };
}
