import { type DynamicModule, Module } from '@nestjs/common';
import { DemoKitModule, type DemoKitOptions } from '@tsunagu/demo-kit';
import { ActivityController } from './activity/activity.controller';
import { ActivityRepository } from './activity/activity.repository';
import { ActivityService } from './activity/activity.service';
import { OnsenSpendingService } from './activity/onsen-spending';
import { InternalStatisticsController } from './internal/internal-statistics.controller';
import { InternalUsersController } from './internal/internal-users.controller';
import { InternalUsersService } from './internal/internal-users.service';
import { misasaProfile } from './misasa.profile';
import { MisasaSeeder } from './seed/misasa.seed';

/** The Misasa onsen health app stand-in: the shared demo kit plus steps and onsen visits, and the internal API for its connector. */
@Module({})
export class MisasaHealthModule {
  static register(options: Omit<DemoKitOptions, 'profile'>): DynamicModule {
    return {
      module: MisasaHealthModule,
      imports: [DemoKitModule.register({ ...options, profile: misasaProfile })],
      controllers: [ActivityController, InternalUsersController, InternalStatisticsController],
      providers: [ActivityRepository, ActivityService, OnsenSpendingService, InternalUsersService, MisasaSeeder],
    };
  }
}
