import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { type ErasureCallbackAnswer, ErasureRequestError, erasureAnswer, parseAnyErasureRequest } from '@tsunagu/connector-sdk';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { DemoException } from '../demo.exception';
import { InternalApiGuard } from '../internal/internal-api.guard';
import { ReceivedCopiesRepository } from './received-copies.repository';

const METHOD = { ja: 'サービスのデータベースから削除（復元不可）', en: 'Deleted from the service\'s database (cannot be restored)' };

/**
 * The erasure callback of a demo service (docs/manuals/vendor.md "消去依頼の受け取り"): its
 * connector POSTs the hub's erasure request; the service deletes its copy of what it received about
 * the member and answers the counts — as a vendor's service does with the SDK's helpers.
 */
@Controller('internal/v1/erasure')
@UseGuards(InternalApiGuard)
export class ErasureController {
  private readonly logger = new AppLogger(ErasureController.name);

  constructor(private readonly copies: ReceivedCopiesRepository) {}

  @Post()
  @HttpCode(200)
  async erase(@Body() body: unknown): Promise<ErasureCallbackAnswer> {
    let request;
    try {
      request = parseAnyErasureRequest(body);
    } catch (error) {
      if (!(error instanceof ErasureRequestError)) throw error;
      throw new DemoException('invalid_request', { ja: '消去依頼の形式が正しくありません。', en: 'The erasure request is malformed.' }, [{ field: error.field, problem: error.problem }]);
    }
    // A tenant that left: every member's copy of what came under its data uses and agreements.
    const erased = 'kind' in request
      ? await this.copies.eraseItemsOnce(request.erasureId, request.items)
      : await this.copies.eraseOnce(request.erasureId, request.localId, request.items);
    this.logger.log(LogKind.Operation, 'kind' in request ? 'Copies received under a departed tenant erased' : 'Copy of a member\'s received data erased', {
      erasureId: request.erasureId, records: erased.reduce((n, e) => n + e.count, 0),
    });
    return erasureAnswer(erased, METHOD);
  }
}
