import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import type { JSONSchemaType } from 'ajv';
import {
  type DayPeriod, InternalApiGuard, InternalParamsPipe, checkedPeriod, dayPeriodQuerySchema,
} from '@tsunagu/demo-kit';
import { type DailyStepsAnswer, type OnsenVisitsAnswer, InternalUsersService } from './internal-users.service';

interface UserParams { userId: string }

const userParamsSchema: JSONSchemaType<UserParams> = {
  type: 'object',
  properties: { userId: { type: 'string', pattern: '^MH-[0-9]{4}$' } },
  required: ['userId'],
  additionalProperties: false,
};

/**
 * The read-only API of the Misasa health app for its own connector (docs/connector.md §3; the URL
 * templates are those of connector-configs/misasa-health.yaml).
 */
@Controller('internal/v1/users')
@UseGuards(InternalApiGuard)
export class InternalUsersController {
  constructor(private readonly users: InternalUsersService) {}

  @Get(':userId/daily-steps')
  dailySteps(
    @Param(new InternalParamsPipe(userParamsSchema)) params: UserParams,
    @Query(new InternalParamsPipe(dayPeriodQuerySchema)) query: DayPeriod,
  ): Promise<DailyStepsAnswer> {
    return this.users.dailySteps(params.userId, checkedPeriod(query));
  }

  @Get(':userId/onsen-visits')
  onsenVisits(
    @Param(new InternalParamsPipe(userParamsSchema)) params: UserParams,
    @Query(new InternalParamsPipe(dayPeriodQuerySchema)) query: DayPeriod,
  ): Promise<OnsenVisitsAnswer> {
    return this.users.onsenVisits(params.userId, checkedPeriod(query));
  }
}
