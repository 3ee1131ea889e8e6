import type { ExecutionContext } from '@nestjs/common';
import { AdminException } from '../../platform/access/admin.exception';
import { AdminScopeGuard } from './admin-scope.guard';
import type { AdminScopeRepository, TenantResourceParam } from './admin-scope.repository';

const TENANT = '11111111-1111-4111-8111-111111111111';
const OWN = '22222222-2222-4222-8222-222222222222';
const FOREIGN = '33333333-3333-4333-8333-333333333333';

function contextFor(path: string, params: Record<string, string>, tenantId: string | null = TENANT): ExecutionContext {
  const req = { path, params, admin: tenantId ? { tenant: { id: tenantId } } : {} };
  return { getType: () => 'http', switchToHttp: () => ({ getRequest: () => req }) } as unknown as ExecutionContext;
}

describe(AdminScopeGuard.name, () => {
  const asked: [TenantResourceParam, string, string][] = [];
  const repo = {
    belongsToTenant: async (param: TenantResourceParam, id: string, tenantId: string) => {
      asked.push([param, id, tenantId]);
      return id === OWN;
    },
  } as AdminScopeRepository;
  const guard = new AdminScopeGuard(repo);

  beforeEach(() => { asked.length = 0; });

  it('lets a path ID of the tenant in scope through, having asked the repository', async () => {
    await expect(guard.canActivate(contextFor('/admin/services/x', { serviceId: OWN }))).resolves.toBe(true);
    expect(asked).toEqual([['serviceId', OWN, TENANT]]);
  });

  it('answers not found for another tenant\'s ID, a malformed ID, or no tenant in scope', async () => {
    await expect(guard.canActivate(contextFor('/ADMIN/connectors/x', { connectorId: FOREIGN }))).rejects.toBeInstanceOf(AdminException);
    await expect(guard.canActivate(contextFor('/admin/agreements/x', { agreementId: 'not-a-uuid' }))).rejects.toBeInstanceOf(AdminException);
    await expect(guard.canActivate(contextFor('/admin/services/x', { serviceId: OWN }, null))).rejects.toBeInstanceOf(AdminException);
    expect(asked).toEqual([['connectorId', FOREIGN, TENANT]]);
  });

  it('refuses a parameter it does not know (deny by default), and leaves other routes alone', async () => {
    await expect(guard.canActivate(contextFor('/admin/things/x', { thingId: OWN }))).rejects.toThrow(/"thingId" is not registered/);
    await expect(guard.canActivate(contextFor('/admin/assets/x', { path: 'a.css' }))).resolves.toBe(true);
    await expect(guard.canActivate(contextFor('/system/tenants/x', { tenantId: FOREIGN }))).resolves.toBe(true);
    expect(asked).toEqual([]);
  });
});
