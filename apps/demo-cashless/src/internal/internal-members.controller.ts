import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import type { JSONSchemaType } from 'ajv';
import {
  type DayPeriod, InternalApiGuard, InternalParamsPipe, checkedPeriod, dayPeriodQuerySchema,
} from '@tsunagu/demo-kit';
import { type MonthlySpendingAnswer, type PointsAnswer, InternalMembersService } from './internal-members.service';

interface MemberParams { memberNumber: string }

const memberParamsSchema: JSONSchemaType<MemberParams> = {
  type: 'object',
  properties: { memberNumber: { type: 'string', pattern: '^C-[0-9]{4}-[0-9]{4}$' } },
  required: ['memberNumber'],
  additionalProperties: false,
};
const noQuerySchema: JSONSchemaType<Record<string, never>> = { type: 'object', additionalProperties: false, required: [] };

/**
 * The read-only API of the cashless base for its own connector (docs/connector.md §3; the URL
 * templates are those of connector-configs/cashless.yaml).
 */
@Controller('internal/v1/members')
@UseGuards(InternalApiGuard)
export class InternalMembersController {
  constructor(private readonly members: InternalMembersService) {}

  @Get(':memberNumber/points')
  points(
    @Param(new InternalParamsPipe(memberParamsSchema)) params: MemberParams,
    @Query(new InternalParamsPipe(noQuerySchema)) _query: Record<string, never>,
  ): Promise<PointsAnswer> {
    return this.members.points(params.memberNumber);
  }

  @Get(':memberNumber/monthly-spending')
  monthlySpending(
    @Param(new InternalParamsPipe(memberParamsSchema)) params: MemberParams,
    @Query(new InternalParamsPipe(dayPeriodQuerySchema)) query: DayPeriod,
  ): Promise<MonthlySpendingAnswer> {
    return this.members.monthlySpending(params.memberNumber, checkedPeriod(query));
  }
}
