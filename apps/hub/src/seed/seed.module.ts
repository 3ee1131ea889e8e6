import { Module } from '@nestjs/common';
import { ResidentsModule } from '../identity/residents/residents.module';
import { ServicesModule } from '../tenancy/services/services.module';
import { SeedService } from './seed.service';

@Module({ imports: [ResidentsModule, ServicesModule], providers: [SeedService], exports: [SeedService] })
export class SeedModule {}
