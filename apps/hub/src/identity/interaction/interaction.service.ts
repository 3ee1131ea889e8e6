import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import { Acr, Amr } from '@tsunagu/contracts';
import { csrfTokenMatches, deriveCsrfToken, type Lang } from '@tsunagu/web';
import { KeysService } from '../../platform/keys/keys.service';
import type { Resident } from '../residents/residents.service';
import { OIDC_PROVIDER } from '../oidc/oidc-provider.factory';

export interface InteractionView {
  uid: string;
  prompt: 'login' | 'consent' | string;
  clientId: string;
  clientName: string;
  /** Scopes the service asks for that the resident has not granted yet. */
  missingScopes: string[];
  /** The interaction's anti-forgery token, for the hidden `csrf` field of every form of the screen. */
  csrf: string;
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

  constructor(@Inject(OIDC_PROVIDER) private readonly provider: Provider, private readonly keys: KeysService) {}

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
    const promptDetails = details.prompt.details as { missingOIDCScope?: string[] };
    return {
      uid: details.uid,
      prompt: details.prompt.name,
      clientId: String(details.params.client_id),
      clientName: (lang === 'ja' ? meta.tsunagu_name_ja : meta.client_name) ?? String(details.params.client_id),
      missingScopes: promptDetails.missingOIDCScope ?? [],
      csrf: await this.csrfToken(details.uid),
    };
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

  abort(interaction: OpenInteraction): Promise<string> {
    return interaction.finish({
      error: 'access_denied',
      error_description: 'The resident cancelled the request',
    }, { mergeWithLastSubmission: false });
  }
}
