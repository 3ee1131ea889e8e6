import { Module } from '@nestjs/common';
import { CLOCK, systemClock } from '@tsunagu/common';
import { MAILER, SmtpMailer } from '../../platform/mail/mail.service';
import { IdentityModule } from '../identity.module';
import { JpkiModule } from '../jpki/jpki.module';
import { ResidentsModule } from '../residents/residents.module';
import { RecoveryRepository } from './recovery.repository';
import { RecoveryService } from './recovery.service';

/** Password reset (by e-mail link or the My Number card) and the resident's e-mail address. Its pages are in the portal. */
@Module({
  imports: [IdentityModule, JpkiModule, ResidentsModule],
  providers: [RecoveryRepository, RecoveryService, { provide: MAILER, useClass: SmtpMailer }, { provide: CLOCK, useValue: systemClock }],
  exports: [RecoveryService],
})
export class RecoveryModule {}
