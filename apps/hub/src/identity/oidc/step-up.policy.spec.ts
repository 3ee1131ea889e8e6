import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import { Acr } from '@tsunagu/contracts';
import { safeInteractionReturn } from '../interaction/interaction.service';
import { hubInteractionPolicy, IDENTITY_VERIFICATION_PROMPT, requestedAcr } from './step-up.policy';

/** An authorization request as the policy's checks see it. */
function ctx(o: { accountId?: string; acr?: string; claims?: unknown; result?: unknown }): KoaContextWithOIDC {
  return { oidc: { session: { accountId: o.accountId }, acr: o.acr, claims: o.claims, result: o.result } } as unknown as KoaContextWithOIDC;
}

const voluntary = (values: string[]) => ({ id_token: { acr: { values } } });
const essential = (values: string[]) => ({ id_token: { acr: { essential: true, values } } });

describe('hubInteractionPolicy', () => {
  const policy = hubInteractionPolicy();
  const stepUp = policy.get(IDENTITY_VERIFICATION_PROMPT)!;
  const check = (c: KoaContextWithOIDC) => stepUp.checks[0].check(c);

  it('puts the step-up between login and consent, and drops the login prompt\'s acr checks (they would loop)', () => {
    expect(policy.map((p) => p.name)).toEqual(['login', IDENTITY_VERIFICATION_PROMPT, 'consent']);
    expect(policy.get('login')!.checks.get('essential_acrs')).toBeUndefined();
    expect(policy.get('login')!.checks.get('essential_acr')).toBeUndefined();
  });

  it('asks for the card when the JPKI level is requested above the session\'s', async () => {
    expect(await check(ctx({ accountId: 'r', acr: Acr.Password, claims: voluntary([Acr.JpkiVerified]) }))).toBe(true);
    expect(await check(ctx({ accountId: 'r', acr: Acr.Password, claims: essential([Acr.JpkiVerified]) }))).toBe(true);
    expect(await check(ctx({ accountId: 'r', acr: Acr.Password, claims: { id_token: { acr: { essential: true, value: Acr.JpkiVerified } } } }))).toBe(true);
  });

  it('does not ask when the session meets a requested value, nobody is signed in yet, or nothing is requested', async () => {
    expect(await check(ctx({ accountId: 'r', acr: Acr.JpkiVerified, claims: essential([Acr.JpkiVerified]) }))).toBe(false);
    expect(await check(ctx({ accountId: 'r', acr: Acr.Password, claims: voluntary([Acr.JpkiVerified, Acr.Password]) }))).toBe(false);
    expect(await check(ctx({ acr: undefined, claims: essential([Acr.JpkiVerified]) }))).toBe(false);
    expect(await check(ctx({ accountId: 'r', acr: Acr.Password }))).toBe(false);
  });

  it('answers a declined voluntary request at the session\'s level, never a declined essential one', async () => {
    const result = { identityVerification: { declined: true } };
    expect(await check(ctx({ accountId: 'r', acr: Acr.Password, claims: voluntary([Acr.JpkiVerified]), result }))).toBe(false);
    expect(await check(ctx({ accountId: 'r', acr: Acr.Password, claims: essential([Acr.JpkiVerified]), result }))).toBe(true);
  });

  it('fails an essential request it can never meet with unmet_authentication_requirements', async () => {
    await expect(check(ctx({ accountId: 'r', acr: Acr.Password, claims: essential(['urn:example:loa:4']) }))).rejects.toBeInstanceOf(errors.UnmetAuthenticationRequirements);
    await expect(check(ctx({ accountId: 'r', acr: Acr.JpkiVerified, claims: essential([Acr.Password]) }))).rejects.toBeInstanceOf(errors.UnmetAuthenticationRequirements);
    expect(await check(ctx({ accountId: 'r', acr: Acr.JpkiVerified, claims: voluntary([Acr.Password]) }))).toBe(false);
  });

  it('refuses acr values that are not a list', () => {
    expect(() => requestedAcr(ctx({ claims: { id_token: { acr: { essential: true, values: Acr.JpkiVerified } } } }))).toThrow(errors.InvalidRequest);
  });
});

describe(safeInteractionReturn.name, () => {
  it.each(['/interaction/abc_DEF-123'])('accepts %s', (value) => expect(safeInteractionReturn(value)).toBe(value));
  it.each([
    'https://evil.example/interaction/x', '//evil.example/interaction/x', '/interaction/x/../../admin', '/interaction/', '/interaction/x?next=//evil',
    '/account', '/interaction/x/login', ' /interaction/x', '/interaction/x\n', ['/interaction/x'], undefined,
  ])('refuses %p', (value) => expect(safeInteractionReturn(value)).toBeUndefined());
});
