import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import type { JSONSchemaType } from 'ajv';
import { DemoException, InternalApiGuard, InternalParamsPipe } from '@tsunagu/demo-kit';
import { ActivityRepository, type MonthlyStepsRow } from '../activity/activity.repository';

/** `POST /internal/v1/statistics/daily-steps`: the users (at most 1,000 per call) and the months. */
interface MonthlyStepsQuery {
  localIds: string[];
  from: string;
  to: string;
}

const month = { type: 'string', pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$' } as const;
const monthlyStepsQuerySchema: JSONSchemaType<MonthlyStepsQuery> = {
  type: 'object',
  properties: {
    localIds: { type: 'array', maxItems: 1000, uniqueItems: true, items: { type: 'string', pattern: '^MH-[0-9]{4}$' } },
    from: month,
    to: month,
  },
  required: ['localIds', 'from', 'to'],
  additionalProperties: false,
};

/**
 * What the Misasa health app tells its own connector for statistics (issue #20;
 * connector-configs/misasa-health.yaml `statistics.source`): per named user and month, the mean of
 * the recorded days and the user's municipality. Nothing else — no days, no names.
 */
@Controller('internal/v1/statistics')
@UseGuards(InternalApiGuard)
export class InternalStatisticsController {
  constructor(private readonly activity: ActivityRepository) {}

  @Post('daily-steps')
  @HttpCode(200)
  async dailySteps(@Body(new InternalParamsPipe(monthlyStepsQuerySchema)) query: MonthlyStepsQuery): Promise<{ rows: MonthlyStepsRow[] }> {
    if (query.from > query.to) throw new DemoException('invalid_request', { ja: '期間の始まりが終わりより後です。', en: 'The period starts after it ends.' });
    return { rows: await this.activity.monthlySteps(query.localIds, query.from, query.to) };
  }
}
