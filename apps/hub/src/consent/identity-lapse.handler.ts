import { Global, Injectable, Module } from '@nestjs/common';
import { IDENTITY_LAPSE_HANDLER, type IdentityLapseHandler } from '../identity/jpki/identity-lapse';
import { ConsentModule } from './consent.module';
import { ConsentService } from './consent.service';

/** Consents that require a verified identity follow the resident's verification (issue 15). */
@Injectable()
export class ConsentIdentityLapseHandler implements IdentityLapseHandler {
  constructor(private readonly consents: ConsentService) {}

  lapsed(residentId: string, reason: 'revoked' | 'expired'): Promise<number> {
    return this.consents.pauseForIdentityLapse(residentId, reason === 'revoked' ? 'identity_certificate_revoked' : 'identity_certificate_expired');
  }

  verified(residentId: string): Promise<number> {
    return this.consents.resumeAfterVerification(residentId);
  }
}

/** Provides {@link IDENTITY_LAPSE_HANDLER} to the identity layer, which may not import consent. */
@Global()
@Module({
  imports: [ConsentModule],
  providers: [ConsentIdentityLapseHandler, { provide: IDENTITY_LAPSE_HANDLER, useExisting: ConsentIdentityLapseHandler }],
  exports: [IDENTITY_LAPSE_HANDLER],
})
export class ConsentIdentityLapseModule {}
