import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import type { ReceiptVerificationView } from '@tsunagu/contracts';
import { ConsentException } from './consent.exception';
import { ReceiptCheckService } from './receipt-check.service';

/**
 * Receipt verification for machines: the JSON twin of the portal's receipt check page. Public,
 * like the keys it checks against; the body (a receipt as downloaded, a chain document or a list)
 * is checked and forgotten. A document that does not verify is the typed error
 * `receipt_not_verified`, one detail per problem.
 */
@Controller('api/v1/receipts')
export class ReceiptsVerifyController {
  constructor(private readonly receipts: ReceiptCheckService) {}

  @Post('verify')
  @HttpCode(200)
  async verify(@Body() body: unknown): Promise<ReceiptVerificationView> {
    const outcome = await this.receipts.check(body === undefined ? '' : JSON.stringify(body));
    if (outcome.result === 'invalid') {
      throw new ConsentException('receipt_not_verified', outcome.findings.map((f) => ({
        field: f.position === undefined ? 'document' : `receipts[${f.position - 1}]`, problem: f.problem,
      })));
    }
    const list = outcome.result === 'receipt' ? [outcome.receipt] : outcome.receipts;
    return {
      valid: true,
      kind: outcome.result,
      receipts: list.map((r) => ({
        recordId: r.recordId, sequence: r.chain.sequence, event: r.event.type, timestamp: r.timestamp,
        consentId: r.consent.id, version: r.consent.version, dataUse: r.consent.dataUse,
      })),
    };
  }
}
