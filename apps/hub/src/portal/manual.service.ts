import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Injectable } from '@nestjs/common';
import type { Lang } from '@tsunagu/web';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { renderMarkdown } from './markdown';

export interface RenderedManual {
  html: string;
  headings: { level: number; text: string; id: string }[];
}

const MANUAL = join('docs', 'manuals', 'resident.md');
/** The English half of the manual starts at this marker; everything before it is Japanese. */
const ENGLISH_MARKER = '<!-- lang: en -->';

/** The directory that holds docs/ — the repository in development, the image's /app in Docker. */
function findManual(): string | undefined {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, MANUAL);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The operation manual for residents, rendered from docs/manuals/resident.md once per language. */
@Injectable()
export class ManualService {
  private readonly logger = new AppLogger(ManualService.name);
  private readonly rendered = new Map<Lang, RenderedManual | undefined>();

  manual(lang: Lang): RenderedManual | undefined {
    if (!this.rendered.has(lang)) this.rendered.set(lang, this.load(lang));
    return this.rendered.get(lang);
  }

  private load(lang: Lang): RenderedManual | undefined {
    const file = findManual();
    if (!file) {
      this.logger.warn(LogKind.Event, 'Resident manual not found', { path: MANUAL });
      return undefined;
    }
    const [ja, en] = readFileSync(file, 'utf8').split(ENGLISH_MARKER);
    return renderMarkdown(lang === 'en' && en ? en : ja);
  }
}
