import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { pickLang, sendReply } from '@tsunagu/web';
import { PortalPageFilter } from './portal-page.filter';
import { portalReply } from './portal.layout';
import { receiptVerifyPage } from './receipt-verify.views';

/**
 * A refused upload on the receipt check page (multer's limits: a file or pasted text over 1 MB,
 * more than one file, a broken multipart body) is the page again with the reason — 413 or 400 —
 * never a JSON error or a 500. Anything else is answered as on every portal page.
 */
@Catch()
export class ReceiptVerifyPageFilter implements ExceptionFilter {
  private readonly portal = new PortalPageFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    if (res.headersSent || (status !== 400 && status !== 413)) return this.portal.catch(exception, host);
    // multer names an over-long text field a bad request; for the resident it is the same as a big file.
    const tooLarge = status === 413 || /too (large|long)/i.test((exception as HttpException).message);
    const lang = pickLang(host.switchToHttp().getRequest<Request>());
    sendReply(res, portalReply(receiptVerifyPage({ lang, refused: tooLarge ? 'too_large' : 'unreadable' }), tooLarge ? 413 : 400));
  }
}
