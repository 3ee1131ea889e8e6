import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type Provider from 'oidc-provider';
import { Acr, Amr } from '@tsunagu/contracts';
import type { Resident } from '../residents/residents.service';
import { OIDC_PROVIDER } from '../oidc/oidc-provider.factory';

export interface InteractionView {
  uid: string;
  prompt: 'login' | 'consent' | string;
  clientId: string;
  clientName: string;
  /** Scopes the service asks for that the resident has not granted yet. */
  missingScopes: string[];
}

/** The rules of the sign-in and consent steps; oidc-provider owns the protocol around them. */
@Injectable()
export class InteractionService {
  constructor(@Inject(OIDC_PROVIDER) private readonly provider: Provider) {}

  async details(req: Request, res: Response, lang: 'ja' | 'en'): Promise<InteractionView> {
    const details = await this.provider.interactionDetails(req, res);
    const client = await this.provider.Client.find(String(details.params.client_id));
    const meta = (client?.metadata() ?? {}) as { client_name?: string; tsunagu_name_ja?: string };
    const promptDetails = details.prompt.details as { missingOIDCScope?: string[] };
    return {
      uid: details.uid,
      prompt: details.prompt.name,
      clientId: String(details.params.client_id),
      clientName: (lang === 'ja' ? meta.tsunagu_name_ja : meta.client_name) ?? String(details.params.client_id),
      missingScopes: promptDetails.missingOIDCScope ?? [],
    };
  }

  /**
   * The resident proved who they are: tell oidc-provider, with assurance claims for the ID token.
   * `acr` states the account's identity assurance (confirmed with the card or not); `amr` states
   * the methods of this sign-in only, which is a password.
   */
  async finishLogin(req: Request, res: Response, resident: Resident): Promise<void> {
    const verified = resident.identityVerifiedAt !== null;
    await this.provider.interactionFinished(req, res, {
      login: {
        accountId: resident.id,
        acr: verified ? Acr.JpkiVerified : Acr.Password,
        amr: [Amr.Password],
        remember: true,
      },
    }, { mergeWithLastSubmission: false });
  }

  /** The resident allowed the scopes shown: record them in the grant for this service. */
  async finishConsent(req: Request, res: Response): Promise<void> {
    const details = await this.provider.interactionDetails(req, res);
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
    await this.provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  async abort(req: Request, res: Response): Promise<void> {
    await this.provider.interactionFinished(req, res, {
      error: 'access_denied',
      error_description: 'The resident cancelled the request',
    }, { mergeWithLastSubmission: false });
  }
}
