import { errors } from 'oidc-provider';
import type { ConsumeOutcome } from './oidc-store';

/**
 * How oidc-provider names each one-time artifact in its own refusals ("authorization code already
 * consumed"), so that a refusal decided by the store reads like one decided by the library.
 */
const GRANT_SOURCES: Record<string, string> = {
  AuthorizationCode: 'authorization code',
  RefreshToken: 'refresh token',
  DeviceCode: 'device code',
  BackchannelAuthenticationRequest: 'backchannel authentication request',
  PreAuthorizedCode: 'pre-authorized code',
};

/**
 * oidc-provider reads an artifact, checks `consumed`, then calls the adapter's `consume`: two
 * requests can both pass the check. The store's `consume` is the atomic check-and-set; when it
 * finds the artifact used already (and has revoked its grant) or gone, this is the OAuth error
 * the request ends with — `invalid_grant` at the token endpoint, `invalid_request_uri` for a
 * pushed authorization request — never a server error, and never tokens.
 */
export function consumeRefusal(model: string, outcome: Exclude<ConsumeOutcome, 'consumed'>): Error {
  if (model === 'PushedAuthorizationRequest') return new errors.InvalidRequestUri('request_uri is invalid, expired, or was already used');
  const label = GRANT_SOURCES[model] ?? model;
  return new errors.InvalidGrant(outcome === 'replayed' ? `${label} already consumed` : `${label} not found`);
}
