import { type DynamicModule, Module } from '@nestjs/common';
import { DemoKitModule, type DemoKitOptions } from '@tsunagu/demo-kit';
import { cashlessProfile } from './cashless.profile';
import { InternalMembersController } from './internal/internal-members.controller';
import { InternalMembersService } from './internal/internal-members.service';
import { HealthPointsService } from './members/health-points';
import { MemberController } from './members/member.controller';
import { MemberRepository } from './members/member.repository';
import { MemberService } from './members/member.service';
import { CashlessSeeder } from './seed/cashless.seed';

/** The cashless payment base stand-in: the shared demo kit plus members, points and payments, and the internal API for its connector. */
@Module({})
export class CashlessModule {
  static register(options: Omit<DemoKitOptions, 'profile'>): DynamicModule {
    return {
      module: CashlessModule,
      imports: [DemoKitModule.register({ ...options, profile: cashlessProfile })],
      controllers: [MemberController, InternalMembersController],
      providers: [MemberRepository, MemberService, HealthPointsService, InternalMembersService, CashlessSeeder],
    };
  }
}
