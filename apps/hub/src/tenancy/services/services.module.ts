import { Module } from '@nestjs/common';
import { TenantsRepository } from '../tenants/tenants.repository';
import { ServicesRepository } from './services.repository';
import { ServicesService } from './services.service';

@Module({ providers: [TenantsRepository, ServicesRepository, ServicesService], exports: [TenantsRepository, ServicesService] })
export class ServicesModule {}
