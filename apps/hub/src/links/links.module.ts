import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { ServicesModule } from '../services/services.module';
import { LinksController } from './links.controller';
import { LinksRepository } from './links.repository';
import { LinksService } from './links.service';

@Module({ imports: [IdentityModule, ServicesModule], controllers: [LinksController], providers: [LinksRepository, LinksService], exports: [LinksService] })
export class LinksModule {}
