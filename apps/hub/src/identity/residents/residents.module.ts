import { Module } from '@nestjs/common';
import { ResidentsRepository } from './residents.repository';
import { ResidentsService } from './residents.service';

@Module({ providers: [ResidentsRepository, ResidentsService], exports: [ResidentsService] })
export class ResidentsModule {}
