import type { ExecutionContext } from '@nestjs/common';
import type Provider from 'oidc-provider';
import type { KeysService } from '../../platform/keys/keys.service';
import type { ResidentsService } from '../residents/residents.service';
import { InteractionGuard } from './interaction.guard';
import { InteractionService } from './interaction.service';

/** The guard over a real InteractionService whose oidc-provider finds the interaction `uid`. */
function guardFor(uid: string) {
  const provider = { interactionDetails: async () => ({ uid }) } as unknown as Provider;
  const keys = { sharedSecret: async () => 'interaction-key' } as unknown as KeysService;
  const interactions = new InteractionService(provider, keys, {} as ResidentsService);
  return { guard: new InteractionGuard(interactions), interactions };
}

function context(method: string, body: unknown) {
  const req: Record<string, unknown> = { method, body, header: () => undefined };
  const ctx = { switchToHttp: () => ({ getRequest: () => req, getResponse: () => ({}) }) } as unknown as ExecutionContext;
  return { ctx, req };
}

describe(InteractionGuard.name, () => {
  it('lets a POST with the interaction\'s own token through, and a GET without one', async () => {
    const { guard, interactions } = guardFor('uid-1');
    const token = await interactions.csrfToken('uid-1');
    const post = context('POST', { csrf: token, loginId: 'a' });
    await expect(guard.canActivate(post.ctx)).resolves.toBe(true);
    expect(post.req.interaction).toBeDefined();
    await expect(guard.canActivate(context('GET', undefined).ctx)).resolves.toBe(true);
  });

  it('refuses a POST without the token, with an empty one or with another interaction\'s, before the handler gets the interaction', async () => {
    const { guard, interactions } = guardFor('uid-1');
    for (const body of [{ loginId: 'a' }, { csrf: '' }, { csrf: await interactions.csrfToken('uid-2') }, { csrf: [await interactions.csrfToken('uid-1')] }, undefined]) {
      const { ctx, req } = context('POST', body);
      await expect(guard.canActivate(ctx)).rejects.toMatchObject({ code: 'interaction_csrf_invalid', reason: 'FORBIDDEN' });
      expect(req.interaction).toBeUndefined();
    }
  });

  it('derives one token per interaction, the same on every replica (one shared key)', async () => {
    const a = guardFor('uid-1').interactions;
    const b = guardFor('uid-1').interactions;
    expect(await a.csrfToken('uid-1')).toBe(await b.csrfToken('uid-1'));
    expect(await a.csrfToken('uid-1')).not.toBe(await a.csrfToken('uid-2'));
  });
});
