import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import type { StatisticsAnswer } from '@tsunagu/statistics';
import { connectorError } from '../connector.exception';
import { StatisticsComputationService } from './statistics.service';

/**
 * `POST /peer/v1/statistics` (called by the hub): the body is the statistics grant itself, as
 * `application/jwt` (it names up to 200,000 residents: too long for a header). The grant is the
 * authentication: signed by the hub, encrypted to this connector, single-use. The answer is the table.
 */
@Controller('peer/v1')
export class StatisticsController {
  constructor(private readonly statistics: StatisticsComputationService) {}

  @Post('statistics')
  @HttpCode(200)
  compute(@Body() body: unknown): Promise<StatisticsAnswer> {
    if (typeof body !== 'string' || !body.trim()) throw connectorError('invalid_request', [{ field: 'body', problem: 'send the statistics grant as application/jwt' }]);
    return this.statistics.compute(body.trim());
  }
}
