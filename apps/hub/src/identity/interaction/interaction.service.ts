import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import { Acr, Amr } from '@tsunagu/contracts';
import { csrfTokenMatches, deriveCsrfToken, type Lang } from '@tsunagu/web';
import { KeysService } from '../../platform/keys/keys.service';
import { ResidentsService, type Resident } from '../residents/residents.service';
import { OIDC_PROVIDER } from '../oidc/oidc-provider.factory';
import { IDENTITY_VERIFICATION_PROMPT, type IdentityVerificationResult, type RequestedAcr } from '../oidc/step-up.policy';

export interface InteractionView {
  uid: string;
  prompt: 'login' | 'consent' | string;
  clientId: string;
  clientName: string;
  /** Scopes the service asks for that the resident has not granted yet. */
  missingScopes: string[];
  /** Claims the service asks for by name (`claims` parameter) that the resident has not granted yet. */
  missingClaims: string[];
  /** The interaction's anti-forgery token, for the hidden `csrf` field of every form of the screen. */
  csrf: string;
  /** The `identity_verification` prompt: the level the service asked for (essential or voluntary). */
  requestedAcr?: RequestedAcr;
}

/** Only the hub's own sign-in screen of one interaction may be where identity proofing returns to (no open redirect). */
export function safeInteractionReturn(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/interaction\/[A-Za-z0-9_-]{1,64}$/.test(value) ? value : undefined;
}

/** What oidc-provider keeps about one interaction (the prompt, the client's parameters, the session). */
export type InteractionDetails = Awaited<ReturnType<Provider['interactionDetails']>>;

/**
 * One interaction, as oidc-provider found it from the request's interaction cookie, and the way to
 * finish it. oidc-provider needs the raw request and response for both; this keeps them out of
 * the handlers (see InteractionGuard).
 */
export interface OpenInteraction {
  readonly details: InteractionDetails;
  /** Stores the result; answers where the browser goes next (back to the authorization endpoint). */
  finish(result: InteractionResults, options: { mergeWithLastSubmission: boolean }): Promise<string>;
}

/** The rules of the sign-in and consent steps; oidc-provider owns the protocol around them. */
@Injectable()
export class InteractionService {
  private csrfKey?: Promise<string>;

  constructor(@Inject(OIDC_PROVIDER) private readonly provider: Provider, private readonly keys: KeysService, private readonly residents: ResidentsService) {}

  /**
   * The anti-forgery token of one interaction: an HMAC of its uid under a key all replicas share
   * (hub_secrets), so another interaction's token, or one made without the key, does not match.
   */
  async csrfToken(uid: string): Promise<string> {
    this.csrfKey ??= this.keys.sharedSecret('interaction-csrf-key');
    return deriveCsrfToken(await this.csrfKey, `interaction:${uid}`);
  }

  /** True when `token` (a posted form's `csrf` field) is this interaction's own; compared in constant time. */
  async checkCsrf(interaction: OpenInteraction, token: unknown): Promise<boolean> {
    return csrfTokenMatches(await this.csrfToken(interaction.details.uid), token);
  }

  /** The interaction of this request; throws oidc-provider's SessionNotFound when there is none. */
  async open(req: Request, res: Response): Promise<OpenInteraction> {
    const details = await this.provider.interactionDetails(req, res);
    return { details, finish: (result, options) => this.provider.interactionResult(req, res, result, options) };
  }

  async view(interaction: OpenInteraction, lang: Lang): Promise<InteractionView> {
    const { details } = interaction;
    const client = await this.provider.Client.find(String(details.params.client_id));
    const meta = (client?.metadata() ?? {}) as { client_name?: string; tsunagu_name_ja?: string };
    const promptDetails = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; requestedAcr?: RequestedAcr };
    return {
      uid: details.uid,
      prompt: details.prompt.name,
      clientId: String(details.params.client_id),
      clientName: (lang === 'ja' ? meta.tsunagu_name_ja : meta.client_name) ?? String(details.params.client_id),
      missingScopes: promptDetails.missingOIDCScope ?? [],
      missingClaims: promptDetails.missingOIDCClaims ?? [],
      csrf: await this.csrfToken(details.uid),
      ...(promptDetails.requestedAcr ? { requestedAcr: promptDetails.requestedAcr } : {}),
    };
  }

  /**
   * The step-up prompt (`identity_verification`) of a resident whose account is verified by now
   * (with the card just now, or in the portal after signing in): the interaction finishes with the
   * card-verified level; `amr` adds the card's methods when the verification happened during this
   * interaction. Undefined while the account is not verified (the screen explains and offers it).
   */
  async finishIfVerified(interaction: OpenInteraction): Promise<string | undefined> {
    const { details } = interaction;
    if (details.prompt.name !== IDENTITY_VERIFICATION_PROMPT || !details.session?.accountId) return undefined;
    const resident = await this.residents.findById(details.session.accountId);
    if (!resident?.identityVerifiedAt) return undefined;
    const startedAt = ((details as { iat?: number }).iat ?? 0) * 1000;
    const before = (details.session.amr as string[] | undefined) ?? [Amr.Password];
    const amr = resident.identityVerifiedAt.getTime() >= startedAt ? [...new Set([...before, Amr.SmartCard, Amr.HardwareKey])] : before;
    return interaction.finish({
      login: { accountId: resident.id, acr: Acr.JpkiVerified, amr, remember: true },
    }, { mergeWithLastSubmission: false });
  }

  /**
   * A voluntary request (`acr_values`) the resident chose to answer without verifying: the service
   * gets the session's level (OIDC Core §5.5.1.1). An essential one cannot be declined this way.
   */
  declineVerification(interaction: OpenInteraction): Promise<string> {
    const requested = (interaction.details.prompt.details as { requestedAcr?: RequestedAcr }).requestedAcr;
    if (interaction.details.prompt.name !== IDENTITY_VERIFICATION_PROMPT || requested?.essential !== false) return this.abort(interaction);
    const result: { identityVerification: IdentityVerificationResult } = { identityVerification: { declined: true } };
    return interaction.finish(result, { mergeWithLastSubmission: true });
  }

  /**
   * The resident proved who they are: tell oidc-provider, with assurance claims for the ID token.
   * `acr` states the account's identity assurance (confirmed with the card or not); `amr` states
   * the methods of this sign-in only, which is a password.
   */
  finishLogin(interaction: OpenInteraction, resident: Resident): Promise<string> {
    const verified = resident.identityVerifiedAt !== null;
    return interaction.finish({
      login: {
        accountId: resident.id,
        acr: verified ? Acr.JpkiVerified : Acr.Password,
        amr: [Amr.Password],
        remember: true,
      },
    }, { mergeWithLastSubmission: false });
  }

  /** The resident allowed the scopes shown: record them in the grant for this service. */
  async finishConsent(interaction: OpenInteraction): Promise<string> {
    const { details } = interaction;
    const accountId = details.session?.accountId;
    const clientId = String(details.params.client_id);
    const grant = details.grantId
      ? await this.provider.Grant.find(details.grantId)
      : new this.provider.Grant({ accountId, clientId });
    if (!grant) throw new Error('Grant vanished during the interaction');
    const missing = (details.prompt.details as { missingOIDCScope?: string[] }).missingOIDCScope;
    if (missing?.length) grant.addOIDCScope(missing.join(' '));
    const missingClaims = (details.prompt.details as { missingOIDCClaims?: string[] }).missingOIDCClaims;
    if (missingClaims?.length) grant.addOIDCClaims(missingClaims);
    const grantId = await grant.save();
    return interaction.finish({ consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  /**
   * The resident cancelled. On the step-up screen of an essential acr that means the requirement
   * cannot be met: `unmet_authentication_requirements` (OIDC Core §3.1.2.6); else `access_denied`.
   */
  abort(interaction: OpenInteraction): Promise<string> {
    const { prompt } = interaction.details;
    if (prompt.name === IDENTITY_VERIFICATION_PROMPT && (prompt.details as { requestedAcr?: RequestedAcr }).requestedAcr?.essential) {
      return interaction.finish({
        error: 'unmet_authentication_requirements',
        error_description: 'The resident did not verify their identity with the My Number card',
      }, { mergeWithLastSubmission: false });
    }
    return interaction.finish({
      error: 'access_denied',
      error_description: 'The resident cancelled the request',
    }, { mergeWithLastSubmission: false });
  }
}
