import { AppLogger, LogKind } from '@tsunagu/logger';
import { AdminNetworksService } from '../apps/hub/src/backoffice/access/admin-networks.service';
import { AdminAccountsRepository } from '../apps/hub/src/backoffice/auth/admin-accounts.repository';
import { ThrottleService } from '../apps/hub/src/platform/throttle/throttle.service';
import { AdminAccountsService } from '../apps/hub/src/backoffice/auth/admin-accounts.service';
import { AdminSessionsRepository } from '../apps/hub/src/backoffice/auth/admin-sessions.repository';
import { qrText } from '../apps/hub/src/backoffice/auth/qr';
import { AuditCheckpointsService } from '../apps/hub/src/audit/audit-checkpoints.service';
import { AuditRepository } from '../apps/hub/src/audit/audit.repository';
import { AuditService } from '../apps/hub/src/audit/audit.service';
import { TenantsRepository } from '../apps/hub/src/tenancy/tenants/tenants.repository';
import { openHubContext } from './hub-context';

const USAGE = `Usage: npm run admin:create -- --login <login-id> (--tenant <tenant-code> | --system) [--name <display name>] [--password-stdin] [--json]

Creates an administrator account and prints, once, what its owner needs to sign in:
the password (generated unless --password-stdin gives one) and the TOTP secret with its
otpauth:// URI and a QR code for an authenticator app. Nothing is prompted for, so it runs in CI:
  printf '%s' "$ADMIN_PASSWORD" | npm run admin:create -- --login ops --system --password-stdin --json
On the embedded database, stop the hub first (one process at a time).`;

interface Args { login?: string; tenant?: string; system: boolean; name?: string; passwordStdin: boolean; json: boolean; help: boolean }

function parseArgs(argv: string[]): Args {
  const args: Args = { system: false, passwordStdin: false, json: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--login': args.login = value(); break;
      case '--tenant': args.tenant = value(); break;
      case '--system': args.system = true; break;
      case '--name': args.name = value(); break;
      case '--password-stdin': args.passwordStdin = true; break;
      case '--json': args.json = true; break;
      case '--help': case '-h': args.help = true; break;
      default: throw new Error(`Unknown option ${a}`);
    }
  }
  return args;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const out = (s: string) => process.stdout.write(`${s}\n`);
  if (args.help) {
    out(USAGE);
    return 0;
  }
  if (!args.login || args.system === !!args.tenant) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const password = args.passwordStdin ? await readStdin() : undefined;
  const ctx = await openHubContext();
  const ds = ctx.db.dataSource;
  const auditRepo = new AuditRepository(ds);
  const checkpoints = new AuditCheckpointsService(auditRepo, ctx.keys, ctx.config);
  try {
    const tenants = new TenantsRepository(ds);
    let tenantId: string | null = null;
    if (args.tenant) {
      const tenant = await tenants.findByCode(args.tenant);
      if (!tenant) throw new Error(`No tenant with code "${args.tenant}"`);
      tenantId = tenant.id;
    }
    const accounts = new AdminAccountsService(ds, new AdminAccountsRepository(ds), new AdminSessionsRepository(ds), ctx.keys,
      new AdminNetworksService(ctx.config, tenants), new AuditService(auditRepo, checkpoints), new ThrottleService(ctx.config));
    const issued = await accounts.create({ tenantId, loginId: args.login, displayName: args.name ?? args.login, password }, { kind: 'system', id: 'cli:admin-create' });
    new AppLogger('AdminCreate').log(LogKind.Operation, 'Admin account created from the command line', { adminId: issued.account.id, tenant: args.tenant ?? null });
    if (args.json) {
      out(JSON.stringify({
        id: issued.account.id, loginId: issued.account.login_id, tenant: args.tenant ?? null, kind: tenantId ? 'tenant' : 'system',
        ...(issued.password ? { password: issued.password } : {}), totpSecret: issued.totpSecret, otpauthUri: issued.otpauthUri,
      }));
    } else {
      out(`Admin account created: ${issued.account.login_id} (${tenantId ? `tenant ${args.tenant}` : 'system admin'})`);
      if (issued.password) out(`Initial password (shown once): ${issued.password}`);
      out(`TOTP secret (shown once):    ${issued.totpSecret}`);
      out(`otpauth URI:                 ${issued.otpauthUri}`);
      const qr = await qrText(issued.otpauthUri);
      if (qr) out(`Scan with an authenticator app:\n${qr}`);
      out('Sign in at /admin/login with the login ID, the password and the 6-digit code of the app.');
    }
    return 0;
  } finally {
    await checkpoints.onApplicationShutdown();
    await ctx.close();
  }
}

main().then((code) => process.exit(code)).catch((error) => {
  process.stderr.write(`admin:create failed: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
});
