import type { ExecutionContext } from '@nestjs/common';
import { SdkGuard } from './sdk.guard';

function context(remoteAddress: string, authorization?: string): ExecutionContext {
  const req = { socket: { remoteAddress }, header: (name: string) => (name === 'authorization' ? authorization : undefined) };
  return { switchToHttp: () => ({ getRequest: () => req }) } as unknown as ExecutionContext;
}

describe(SdkGuard.name, () => {
  it('without a token, lets local callers in and keeps the network out', () => {
    const guard = new SdkGuard({});
    expect(guard.canActivate(context('127.0.0.1'))).toBe(true);
    expect(guard.canActivate(context('::1'))).toBe(true);
    expect(() => guard.canActivate(context('10.0.0.5'))).toThrow(expect.objectContaining({ code: 'sdk_unauthorized' }));
  });

  it('with a token, requires it from everyone, local callers included', () => {
    const guard = new SdkGuard({ sdkToken: 'a-long-enough-sdk-token' });
    expect(guard.canActivate(context('10.0.0.5', 'Bearer a-long-enough-sdk-token'))).toBe(true);
    expect(() => guard.canActivate(context('127.0.0.1'))).toThrow(expect.objectContaining({ code: 'sdk_unauthorized' }));
    expect(() => guard.canActivate(context('127.0.0.1', 'Bearer a-long-enough-sdk-tokeX'))).toThrow(expect.objectContaining({ code: 'sdk_unauthorized' }));
  });
});
