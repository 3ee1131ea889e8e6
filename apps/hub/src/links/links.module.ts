import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { ServicesModule } from '../tenancy/services/services.module';
import { BearerTokenGuard } from './links-bearer.guard';
import { LinksController } from './links.controller';
import { LinksRepository } from './links.repository';
import { LinksService } from './links.service';

@Module({ imports: [IdentityModule, ServicesModule], controllers: [LinksController], providers: [LinksRepository, LinksService, BearerTokenGuard], exports: [LinksService] })
export class LinksModule {}
