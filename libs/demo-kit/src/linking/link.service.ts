import { Inject, Injectable } from '@nestjs/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import type { Msg } from '@tsunagu/web';
import { CLOCK, type Clock } from '@tsunagu/common';
import { LocalAccountService } from '../accounts/local-account.service';
import { formatTokyoTime } from '../clock';
import { DEMO_PROFILE, type DemoProfile, inSentence } from '../demo-profile';
import { DemoException } from '../demo.exception';
import { HubLinksClient } from '../hub/hub-links.client';
import type { SignedInResident } from '../hub/oidc-relying-party';

/** One thing wrong with a link attempt, as shown on the link page. */
export interface LinkProblem {
  code: string;
  field?: 'localId' | 'pin';
  message: Msg;
}

export type LinkOutcome =
  | { ok: true; localId: string; created: boolean }
  | {
    ok: false;
    status: number;
    problems: LinkProblem[];
    /** The normalised local ID, to refill the form (never the PIN). */
    localId: string;
    /** The resident must sign in with the hub again (expired token). */
    signInAgain?: boolean;
    retryAfterSeconds?: number;
  };

export type SignInDecision = { linked: true; localId: string } | { linked: false };

/** Fields the link form posts; anything else is refused. */
const FORM_FIELDS = new Set(['_csrf', 'localId', 'pin', 'lang']);
const MAX_LOCAL_ID_LENGTH = 32;

/** Full-width letters and digits to ASCII, the dashes Japanese keyboards produce to `-`, upper case. */
export function normaliseLocalId(value: string): string {
  return value.normalize('NFKC').trim().replace(/[‐‑‒–—―ー−]/g, '-').replace(/\s+/g, '').toUpperCase();
}

export function normalisePin(value: string): string {
  return value.normalize('NFKC').trim();
}

/**
 * The rules of linking a local account to a Tottori ID (the 連携 page): the resident proves the
 * account with its PIN here, then the hub records the link; only then does this service keep its
 * own copy. A refusal at any step changes nothing but the PIN failure count.
 */
@Injectable()
export class LinkService {
  private readonly logger = new AppLogger(LinkService.name);

  constructor(
    private readonly accounts: LocalAccountService,
    private readonly hub: HubLinksClient,
    @Inject(DEMO_PROFILE) private readonly profile: DemoProfile,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Right after sign-in: is this resident already linked at the hub, and to which local account? */
  async resolveAfterSignIn(resident: SignedInResident): Promise<SignInDecision> {
    if (!resident.accessToken) return { linked: false };
    const result = await this.hub.myLink(resident.accessToken);
    if (result.outcome === 'not_linked') return { linked: false };
    if (result.outcome === 'refused') {
      throw new DemoException('login_failed', { ja: result.message.ja, en: result.message.en }, [{ field: 'hub', problem: result.code }]);
    }
    const localId = result.link.localId;
    if (!(await this.accounts.exists(localId))) {
      throw new DemoException('unknown_linked_account', {
        ja: `Tottori ID は ${localId} と連携されていますが、このサービスにその番号はありません。窓口にお問い合わせください。`,
        en: `Your Tottori ID is linked to ${localId}, which this service does not know. Please contact the service desk.`,
      });
    }
    await this.accounts.rememberHubLink(resident.sub, localId);
    return { linked: true, localId };
  }

  /** Validates the posted form; every problem is reported at once. */
  parseForm(body: unknown): { ok: true; localId: string; pin: string } | { ok: false; localId: string; problems: LinkProblem[] } {
    const label = this.profile.localIdLabel;
    const problems: LinkProblem[] = [];
    const form = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    const rawLocalId = form.localId;
    const rawPin = form.pin;
    const localId = typeof rawLocalId === 'string' ? normaliseLocalId(rawLocalId).slice(0, MAX_LOCAL_ID_LENGTH * 2) : '';
    const pin = typeof rawPin === 'string' ? normalisePin(rawPin) : '';

    const unexpected = Object.keys(form).filter((key) => !FORM_FIELDS.has(key));
    if (unexpected.length || (rawLocalId !== undefined && typeof rawLocalId !== 'string') || (rawPin !== undefined && typeof rawPin !== 'string')) {
      problems.push({ code: 'invalid_form', message: { ja: '想定していない内容が送信されました。画面から入力し直してください。', en: 'The form contained unexpected data. Please fill it in again.' } });
    }
    if (!localId) {
      problems.push({ code: 'local_id_missing', field: 'localId', message: { ja: `${label.ja}を入力してください。`, en: `Enter your ${inSentence(label.en)}.` } });
    } else if (localId.length > MAX_LOCAL_ID_LENGTH || !this.profile.localIdPattern.test(localId)) {
      problems.push({ code: 'local_id_invalid', field: 'localId', message: {
        ja: `${label.ja}の形式が正しくありません（例: ${this.profile.localIdExample}）。`,
        en: `The ${inSentence(label.en)} is not in the right format (e.g. ${this.profile.localIdExample}).`,
      } });
    }
    if (!pin) {
      problems.push({ code: 'pin_missing', field: 'pin', message: { ja: 'PIN を入力してください。', en: 'Enter your PIN.' } });
    } else if (!/^[0-9]{4}$/.test(pin)) {
      problems.push({ code: 'pin_invalid', field: 'pin', message: { ja: 'PIN は 4 桁の数字で入力してください。', en: 'The PIN is 4 digits.' } });
    }
    const shownLocalId = localId.length > MAX_LOCAL_ID_LENGTH ? '' : localId;
    return problems.length ? { ok: false, localId: shownLocalId, problems } : { ok: true, localId, pin };
  }

  /** Proves the local account with its PIN, then asks the hub to link it to the signed-in resident. */
  async link(resident: SignedInResident, body: unknown): Promise<LinkOutcome> {
    const form = this.parseForm(body);
    if (!form.ok) return { ok: false, status: 400, problems: form.problems, localId: form.localId };
    const { localId, pin } = form;
    const label = this.profile.localIdLabel;
    const { maxFailures, lockMinutes } = this.accounts.pinPolicy;

    const check = await this.accounts.verifyPin(localId, pin);
    switch (check.outcome) {
      case 'unknown_account':
        return { ok: false, status: 404, localId, problems: [{ code: 'unknown_account', field: 'localId', message: {
          ja: `${label.ja} ${localId} は登録されていません。番号をお確かめください。`,
          en: `There is no account with ${inSentence(label.en)} ${localId}. Please check the number.`,
        } }] };
      case 'wrong_pin':
        return { ok: false, status: 400, localId, problems: [{ code: 'wrong_pin', field: 'pin', message: {
          ja: `PIN が違います。あと ${check.attemptsLeft} 回間違えると、この${label.ja}の連携は ${lockMinutes} 分間できなくなります。`,
          en: `Wrong PIN. After ${check.attemptsLeft} more wrong attempt${check.attemptsLeft === 1 ? '' : 's'}, linking this account is locked for ${lockMinutes} minutes.`,
        } }] };
      case 'locked': {
        const retryAfterSeconds = Math.max(1, Math.ceil((check.lockedUntil.getTime() - this.clock.now().getTime()) / 1000));
        return { ok: false, status: 429, localId, retryAfterSeconds, problems: [{ code: 'pin_locked', field: 'pin', message: {
          ja: `PIN を ${maxFailures} 回間違えたため、この${label.ja}の連携は ${formatTokyoTime(check.lockedUntil, 'ja')} まで（${lockMinutes} 分間）できません。`,
          en: `After ${maxFailures} wrong PINs, linking this account is locked until ${formatTokyoTime(check.lockedUntil, 'en')} (Japan time, ${lockMinutes} minutes).`,
        } }] };
      }
      case 'ok':
        break;
    }

    if (!resident.accessToken) {
      return { ok: false, status: 401, localId, signInAgain: true, problems: [{ code: 'session_expired', message: {
        ja: 'ログインの有効期限が切れました。もう一度 Tottori ID でログインしてください。',
        en: 'Your sign-in has expired. Please sign in with Tottori ID again.',
      } }] };
    }
    const result = await this.hub.createLink(resident.accessToken, localId);
    if (result.outcome === 'refused') {
      this.logger.log(LogKind.Authentication, 'Hub refused the link', { code: result.code, status: result.status });
      return {
        ok: false, status: result.status, localId, signInAgain: result.code === 'invalid_token',
        problems: [{ code: result.code, message: result.message }],
      };
    }
    await this.accounts.rememberHubLink(resident.sub, localId);
    this.logger.log(LogKind.Authentication, 'Local account linked to a Tottori ID', { localId, created: result.created });
    return { ok: true, localId, created: result.created };
  }
}
