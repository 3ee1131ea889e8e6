import { DEMO_ADMIN_TOTP_SECRET } from '../apps/hub/src/backoffice/auth/admin-demo-seed';

/**
 * `npm run admin:totp [-- --secret <base32>]`: prints the current 6-digit code for a TOTP secret,
 * by default the development demo admins' one (docs/manuals/system-admin.md). A convenience for
 * developers and demos without an authenticator app at hand; never needed in production.
 */
async function main(): Promise<void> {
  const i = process.argv.indexOf('--secret');
  const secret = i >= 0 ? process.argv[i + 1] : DEMO_ADMIN_TOTP_SECRET;
  if (!secret) throw new Error('--secret needs a value');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const otplib = require('otplib') as typeof import('otplib');
  const code = await otplib.generate({ secret });
  const remaining = 30 - (Math.floor(Date.now() / 1000) % 30);
  process.stdout.write(`${code}  (valid for about ${remaining} more seconds)\n`);
}

main().catch((error) => {
  process.stderr.write(`admin:totp failed: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
});
