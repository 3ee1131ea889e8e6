import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import type { PendingLogin, SignedInResident } from '../hub/oidc-relying-party';

/**
 * What a demo keeps in the browser's session, under one key so that it cannot collide with other
 * code sharing express-session's typings in this monorepo.
 */
export interface DemoSessionState {
  csrfToken?: string;
  pendingLogin?: PendingLogin;
  resident?: SignedInResident;
  /** Set once the resident is signed in as a local account (linked). */
  localId?: string;
}

type WithDemo = { demo?: DemoSessionState };

function holder(req: Request): WithDemo | undefined {
  return req.session as unknown as WithDemo | undefined;
}

/** The session's demo state (read only; an anonymous visitor gets an empty object and no session). */
export function sessionState(req: Request): Readonly<DemoSessionState> {
  return holder(req)?.demo ?? {};
}

/** Changes the session's demo state (this creates the session if there was none). */
export function updateSessionState(req: Request, patch: Partial<DemoSessionState>): DemoSessionState {
  const h = holder(req);
  if (!h) throw new Error('express-session is not installed');
  h.demo = { ...(h.demo ?? {}), ...patch };
  for (const key of Object.keys(h.demo) as (keyof DemoSessionState)[]) {
    if (h.demo[key] === undefined) delete h.demo[key];
  }
  return h.demo;
}

/** This session's CSRF token, made on first use. */
export function csrfTokenFor(req: Request): string {
  const existing = sessionState(req).csrfToken;
  if (existing) return existing;
  return updateSessionState(req, { csrfToken: randomBytes(32).toString('base64url') }).csrfToken as string;
}

/** The local account the browser is signed in as, if it is fully signed in (hub + linked). */
export function signedInLocalId(req: Request): string | undefined {
  const state = sessionState(req);
  return state.resident && state.localId ? state.localId : undefined;
}

/** Replaces the session (new id) before storing a sign-in, against session fixation. */
export function regenerateSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((error: unknown) => (error ? reject(error) : resolve())));
}

export function destroySession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!req.session) return resolve();
    req.session.destroy((error: unknown) => (error ? reject(error) : resolve()));
  });
}
