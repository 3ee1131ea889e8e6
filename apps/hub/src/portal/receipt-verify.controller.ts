import { Body, Controller, Get, Post, UploadedFile, UseFilters, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { Lang, WebReply } from '@tsunagu/web';
import { ReceiptCheckService } from '../consent/receipt-check.service';
import { portalReply } from './portal.layout';
import { ReceiptVerifyPageFilter } from './receipt-verify.filter';
import { RECEIPT_UPLOAD_LIMIT, receiptVerifyPage } from './receipt-verify.views';

/**
 * multer keeps the upload in memory for this one request only (never on disk); one file and a
 * few fields, each at most 1 MB. Urlencoded posts (the text field only) take the hub's usual parser.
 */
const uploadLimits = { fileSize: RECEIPT_UPLOAD_LIMIT, fieldSize: RECEIPT_UPLOAD_LIMIT, files: 1, fields: 4, parts: 6 };

/** The uploaded file when one was chosen (a browser sends an empty part when none was), else the pasted text. */
function submitted(file: { buffer: Buffer } | undefined, form: { receipt?: unknown } | undefined): string {
  if (file?.buffer.length) return file.buffer.toString('utf8');
  return typeof form?.receipt === 'string' ? form.receipt : '';
}

/**
 * Checking a consent receipt file against this hub's keys (`/portal/receipts/verify`). Public: a
 * resident may check a receipt someone else gave them, and the check reveals nothing beyond the
 * file. Nothing changes and nothing is kept, so the form needs no session and no CSRF token.
 * Registered before PortalController, whose `receipts/:recordId` would otherwise take the path.
 */
@Controller('portal/receipts/verify')
@UseFilters(ReceiptVerifyPageFilter)
export class ReceiptVerifyController {
  constructor(private readonly receipts: ReceiptCheckService) {}

  @Get()
  page(@Lang() lang: Lang): WebReply {
    return portalReply(receiptVerifyPage({ lang }));
  }

  /** A finding about the file (altered, missing, not a receipt) is a result, shown with 200. */
  @Post()
  @UseInterceptors(FileInterceptor('file', { limits: uploadLimits }))
  async check(@Lang() lang: Lang, @UploadedFile() file: { buffer: Buffer } | undefined, @Body() form: { receipt?: unknown } | undefined): Promise<WebReply> {
    return portalReply(receiptVerifyPage({ lang, outcome: await this.receipts.check(submitted(file, form)) }));
  }
}
