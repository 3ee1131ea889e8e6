/**
 * What happens to a resident's consents when their identity verification lapses or is renewed.
 * Identity sits below consent in the hub's layers (docs/architecture.md), so it names the hook and
 * the consent layer provides it (ConsentIdentityLapseModule, a global provider).
 */
export interface IdentityLapseHandler {
  /** The verification lapsed: pause consents that require a verified identity. Returns how many. */
  lapsed(residentId: string, reason: 'revoked' | 'expired'): Promise<number>;
  /** A new verification: resume what a lapse paused. Returns how many. */
  verified(residentId: string): Promise<number>;
}

export const IDENTITY_LAPSE_HANDLER = Symbol('IDENTITY_LAPSE_HANDLER');
