import { errors, interactionPolicy, type KoaContextWithOIDC, type UnknownObject } from 'oidc-provider';
import { Acr } from '@tsunagu/contracts';

/** The prompt the hub raises when a service asks for a higher assurance level than the session has. */
export const IDENTITY_VERIFICATION_PROMPT = 'identity_verification';

/** What the interaction keeps about the level the service asked for (prompt details). */
export interface RequestedAcr {
  /** The acr values the service asked for, in its order of preference. */
  values: string[];
  /** True for an essential `acr` claim (`claims` parameter), false for `acr_values` (voluntary). */
  essential: boolean;
}

/** What the step-up screen hands back when a resident chose to go on without verifying a voluntary request. */
export interface IdentityVerificationResult {
  declined: true;
}

/**
 * The acr the service asked for, from `acr_values` (oidc-provider turns it into a voluntary
 * `claims.id_token.acr.values`) or from an essential `acr` claim (`value` or `values`).
 */
export function requestedAcr(ctx: KoaContextWithOIDC): RequestedAcr | undefined {
  const request = (ctx.oidc.claims as { id_token?: { acr?: { essential?: boolean; value?: unknown; values?: unknown } } } | undefined)?.id_token?.acr;
  if (!request) return undefined;
  if (request.values !== undefined && !Array.isArray(request.values)) throw new errors.InvalidRequest('invalid claims.id_token.acr.values type');
  const values = (request.values ?? (request.value === undefined ? [] : [request.value])).filter((v): v is string => typeof v === 'string');
  if (!values.length) return undefined;
  return { values, essential: request.essential === true };
}

/**
 * The step-up check: the session's acr is none of the requested values, and the card
 * verification (`urn:tsunagu:loa:jpki`) is one of them — the resident can meet it by verifying.
 * An essential request the hub can never meet (only values it does not issue, or only the
 * password level for a verified resident) fails at once with `unmet_authentication_requirements`
 * (OIDC Core §5.5.1.1: a failed authentication). A voluntary request the resident chose to
 * answer without verifying (`identityVerification.declined`) is answered with the session's acr.
 */
async function needsVerification(ctx: KoaContextWithOIDC): Promise<boolean> {
  const { oidc } = ctx;
  if (!oidc.session?.accountId) return false;
  const requested = requestedAcr(ctx);
  if (!requested || requested.values.includes(String(oidc.acr))) return false;
  if (!requested.values.includes(Acr.JpkiVerified)) {
    if (requested.essential) throw new errors.UnmetAuthenticationRequirements('none of the essential acr values can be met');
    return false;
  }
  if (oidc.acr === Acr.JpkiVerified) return false;
  const declined = (oidc.result as { identityVerification?: Partial<IdentityVerificationResult> } | undefined)?.identityVerification?.declined;
  return !(declined === true && !requested.essential);
}

/**
 * oidc-provider's interaction policy with the hub's step-up: `login` and `consent` as the library
 * defines them, minus the login prompt's `essential_acr(s)` checks (signing in with the password
 * again can never raise the level; they would loop), and an `identity_verification` prompt between
 * them, raised when a service asks for the card-verified level above what the session's account has.
 */
export function hubInteractionPolicy(): ReturnType<typeof interactionPolicy.base> {
  const { Prompt, Check, base } = interactionPolicy;
  const policy = base();
  const login = policy.get('login')!;
  login.checks.remove('essential_acrs');
  login.checks.remove('essential_acr');
  const stepUp = new Prompt(
    { name: IDENTITY_VERIFICATION_PROMPT, requestable: false },
    (ctx) => ({ requestedAcr: requestedAcr(ctx) as unknown as UnknownObject | undefined }),
    new Check('acr_above_session', 'the service asks for an identity verified with the My Number card', 'interaction_required', needsVerification),
  );
  policy.add(stepUp, policy.findIndex((p) => p.name === 'consent'));
  return policy;
}
