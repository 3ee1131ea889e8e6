import type { Request, Response } from 'express';
import { pickLang, type SafeHtml } from '@tsunagu/web';
import type { DemoProfile } from '../demo-profile';
import type { SignedInResident } from '../hub/oidc-relying-party';
import { type ViewContext, sendHtml, viewContext, withLang } from './demo-views';
import { csrfTokenFor, sessionState, signedInLocalId } from './session-state';

/** What every member page view gets besides its own data. */
export interface MemberPageBasics {
  resident: SignedInResident;
  csrf: string;
}

/**
 * Answers a request for the member page (`/member`) or one of its connector sections: a visitor
 * who is not signed in and linked goes to the link page or the home page; otherwise the page's data
 * is loaded for the local account and the page `view` builds from it is sent.
 */
export async function serveMemberPage<T>(
  req: Request, res: Response, profile: DemoProfile,
  load: (localId: string) => Promise<T>,
  view: (ctx: ViewContext, data: T, basics: MemberPageBasics) => SafeHtml,
): Promise<void> {
  const localId = signedInLocalId(req);
  const { resident } = sessionState(req);
  if (!localId || !resident) return res.redirect(303, withLang(resident ? '/link' : '/', pickLang(req)));
  const data = await load(localId);
  sendHtml(res, 200, view(viewContext(req, profile, '/member'), data, { resident, csrf: csrfTokenFor(req) }));
}
