import { Module } from '@nestjs/common';
import { MonitoringGauges } from './monitoring-gauges.service';
import { MonitoringRepository } from './monitoring.repository';

/** Scrape-time gauges of the hub (docs/operations.md "Metrics and alerts"). */
@Module({ providers: [MonitoringRepository, MonitoringGauges] })
export class MonitoringModule {}
