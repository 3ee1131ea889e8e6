import type { Request } from 'express';
import { csrfRequired } from './csrf';

/**
 * The origin of a public URL (`https://id.example.jp/base` → `https://id.example.jp`): scheme, host
 * in lower case and a port only when it is not the scheme's default, as browsers send `Origin`.
 */
export function originOf(url: string): string {
  return new URL(url).origin;
}

function parsedOrigin(value: string): string | undefined {
  try {
    return new URL(value).origin;
  } catch {
    return undefined;
  }
}

/**
 * True when the browser says a state-changing request (anything but GET, HEAD and OPTIONS) was
 * sent from another site than `ownOrigin` (the app's public origin, see {@link originOf}; behind a
 * proxy that is the public address, never the `Host` the app was reached at):
 *
 * - `Sec-Fetch-Site: cross-site`, whatever the `Origin`;
 * - an `Origin` that is not `ownOrigin` (a sibling subdomain's `same-site` request included);
 * - `Origin: null` (an opaque origin) unless `Sec-Fetch-Site` says `same-origin`: browsers send
 *   `null` for a form on a page served with `Referrer-Policy: no-referrer` too, which is the
 *   default of helmet, so the fetch metadata decides there.
 *
 * A request with neither header (a non-browser client, an old browser) is not judged here: the
 * CSRF token of the form is what protects it.
 */
export function isCrossSiteRequest(req: Pick<Request, 'method' | 'header'>, ownOrigin: string): boolean {
  if (!csrfRequired(req.method)) return false;
  const site = req.header('sec-fetch-site')?.trim().toLowerCase();
  if (site === 'cross-site') return true;
  const origin = req.header('origin')?.trim();
  if (origin === undefined || origin === '') return false;
  if (origin === 'null') return site !== undefined && site !== 'same-origin';
  return parsedOrigin(origin) !== ownOrigin;
}
