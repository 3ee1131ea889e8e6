import session from 'express-session';
import type { SessionData } from 'express-session';
import type { Clock } from '@tsunagu/common';
import type { SessionRepository } from './session.repository';

const DEFAULT_TTL_MS = 24 * 60 * 60_000;
const PRUNE_EVERY_MS = 60_000;

/** express-session store on the demo's own database, so sessions survive a restart. */
export class DemoSessionStore extends session.Store {
  private lastPrune = 0;

  constructor(private readonly sessions: SessionRepository, private readonly clock: Clock) {
    super();
  }

  private expiry(sess: SessionData): Date {
    const expires = sess.cookie?.expires;
    return expires ? new Date(expires) : new Date(this.clock.now().getTime() + DEFAULT_TTL_MS);
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    this.sessions.find(sid, this.clock.now()).then((data) => callback(null, (data as SessionData | undefined) ?? null), callback);
  }

  override set(sid: string, sess: SessionData, callback?: (err?: unknown) => void): void {
    const now = this.clock.now();
    const prune = now.getTime() - this.lastPrune > PRUNE_EVERY_MS;
    if (prune) this.lastPrune = now.getTime();
    this.sessions.save(sid, sess, this.expiry(sess))
      .then(() => (prune ? this.sessions.deleteExpired(now) : undefined))
      .then(() => callback?.(), (error: unknown) => callback?.(error));
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.sessions.delete(sid).then(() => callback?.(), (error: unknown) => callback?.(error));
  }

  override touch(sid: string, sess: SessionData, callback?: () => void): void {
    this.sessions.touch(sid, this.expiry(sess)).then(() => callback?.(), () => callback?.());
  }
}
