import type { ExecutionContext } from '@nestjs/common';
import { DemoRuntime, type DemoSettings } from '../demo-settings';
import { InternalApiGuard, isInternalApiPath } from './internal-api.guard';

const settings = (serviceToken?: string) => ({ serviceName: 'demo-test', hubUrl: 'http://localhost:3000', port: 0, serviceToken }) as DemoSettings;

function contextFor(remoteAddress: string, headers: Record<string, string> = {}): { ctx: ExecutionContext; sent: Record<string, string> } {
  const sent: Record<string, string> = {};
  const req = { path: '/internal/v1/x', socket: { remoteAddress }, header: (name: string) => headers[name.toLowerCase()] };
  const res = { setHeader: (name: string, value: string) => { sent[name] = value; } };
  return { ctx: { switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as unknown as ExecutionContext, sent };
}

describe(InternalApiGuard.name, () => {
  it('without a service token, lets callers on this machine through and marks the answer uncacheable', () => {
    const guard = new InternalApiGuard(new DemoRuntime(settings()));
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      const { ctx, sent } = contextFor(address);
      expect(guard.canActivate(ctx)).toBe(true);
      expect(sent['cache-control']).toBe('no-store');
    }
  });

  it('without a service token, refuses other machines and proxied requests with service_forbidden', () => {
    const guard = new InternalApiGuard(new DemoRuntime(settings()));
    for (const { ctx } of [contextFor('10.0.0.5'), contextFor('192.168.1.20'), contextFor('127.0.0.1', { 'x-forwarded-for': '10.0.0.5' })]) {
      expect(() => guard.canActivate(ctx)).toThrow(expect.objectContaining({ code: 'service_forbidden' }));
    }
  });

  it('with a service token, accepts it from any address and refuses everything else with service_unauthorized', () => {
    const guard = new InternalApiGuard(new DemoRuntime(settings('s'.repeat(32))));
    expect(guard.canActivate(contextFor('10.0.0.5', { authorization: `Bearer ${'s'.repeat(32)}` }).ctx)).toBe(true);
    expect(guard.canActivate(contextFor('10.0.0.5', { authorization: `bearer ${'s'.repeat(32)}` }).ctx)).toBe(true);
    const refused: Record<string, string>[] = [{}, { authorization: `Bearer ${'s'.repeat(31)}` }, { authorization: 's'.repeat(32) }];
    for (const headers of refused) {
      const { ctx, sent } = contextFor('127.0.0.1', headers);
      expect(() => guard.canActivate(ctx)).toThrow(expect.objectContaining({ code: 'service_unauthorized' }));
      expect(sent['www-authenticate']).toBe('Bearer realm="internal"');
    }
  });

  it('recognises internal API paths', () => {
    expect(isInternalApiPath('/internal/v1/members/C-2026-0001/points')).toBe(true);
    expect(isInternalApiPath('/internally')).toBe(false);
    expect(isInternalApiPath('/member')).toBe(false);
  });
});
