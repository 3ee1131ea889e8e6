import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Lang } from '@tsunagu/web';
import { renderMarkdown } from './markdown';

export interface RenderedDocument {
  html: string;
  headings: { level: number; text: string; id: string }[];
}

/** The English half of a bilingual document starts at this marker; everything before it is Japanese. */
const ENGLISH_MARKER = '<!-- lang: en -->';

/** A file under the directory that holds docs/ — the repository in development, the image's /app in Docker. */
function findFile(relativePath: string): string | undefined {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, relativePath);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The residents' documents of the hub (the manual, the privacy policy, the terms), each one
 * Markdown file with its Japanese half first, rendered once per language; undefined when the
 * deployment lacks the file (the page then says so instead of failing).
 */
export class BilingualDocument {
  private readonly rendered = new Map<Lang, RenderedDocument | undefined>();

  constructor(readonly relativePath: string) {}

  render(lang: Lang): RenderedDocument | undefined {
    if (!this.rendered.has(lang)) this.rendered.set(lang, this.load(lang));
    return this.rendered.get(lang);
  }

  private load(lang: Lang): RenderedDocument | undefined {
    const file = findFile(this.relativePath);
    if (!file) return undefined;
    const [ja, en] = readFileSync(file, 'utf8').split(ENGLISH_MARKER);
    return renderMarkdown(lang === 'en' && en ? en : ja);
  }
}
