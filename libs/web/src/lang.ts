import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

export type Lang = 'ja' | 'en';
export const LANG_COOKIE = 'lang';

/**
 * The language of a page: an explicit `?lang=` wins, then the `lang` cookie; otherwise Japanese
 * (the platform's residents and staff read Japanese first, whatever the browser says).
 */
export function pickLang(req: Request): Lang {
  const query = typeof req.query?.lang === 'string' ? req.query.lang : undefined;
  const cookie = (req.cookies as Record<string, string> | undefined)?.[LANG_COOKIE];
  const value = query ?? cookie;
  return value === 'en' ? 'en' : 'ja';
}

/**
 * `@Lang() lang: Lang` — the language of the page being answered, as a handler parameter
 * ({@link pickLang}). The decorator and the type share the name; TypeScript keeps them apart.
 */
export const Lang = createParamDecorator((_: unknown, ctx: ExecutionContext): Lang => pickLang(ctx.switchToHttp().getRequest<Request>()));

/** A message in both languages; pick one with `t(lang, msg)`. */
export type Msg = { ja: string; en: string };
export function t(lang: Lang, msg: Msg): string {
  return msg[lang];
}
