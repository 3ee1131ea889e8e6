import { Module } from '@nestjs/common';
import { ConsentModule } from '../consent/consent.module';
import { IdentityModule } from '../identity/identity.module';
import { LinksModule } from '../links/links.module';
import { ResidentsModule } from '../residents/residents.module';
import { AccountController } from './account.controller';
import { ResidentSessionService } from './resident-session.service';

@Module({ imports: [IdentityModule, LinksModule, ResidentsModule, ConsentModule], controllers: [AccountController], providers: [ResidentSessionService], exports: [ResidentSessionService] })
export class AccountModule {}
