import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import type { Lang } from '@tsunagu/web';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { BilingualDocument, type RenderedDocument } from './site-documents';

export type RenderedManual = RenderedDocument;

/** The operation manual for residents, rendered from docs/manuals/resident.md once per language. */
@Injectable()
export class ManualService {
  private readonly logger = new AppLogger(ManualService.name);
  private readonly document = new BilingualDocument(join('docs', 'manuals', 'resident.md'));

  manual(lang: Lang): RenderedManual | undefined {
    const manual = this.document.render(lang);
    if (!manual) this.logger.warn(LogKind.Event, 'Resident manual not found', { path: this.document.relativePath });
    return manual;
  }
}
