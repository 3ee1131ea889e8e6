import { openHubContext } from './hub-context';

/**
 * `npm run keys:rotate -- <stage|activate|purge|list> [--older-than-days N]`
 * The signing-key rotation procedure of docs/key-rotation.md, one step per command.
 */
async function main(): Promise<void> {
  const [command = 'list', ...rest] = process.argv.slice(2);
  const ctx = await openHubContext();
  const out = (s: string) => process.stdout.write(`${s}\n`);
  try {
    switch (command) {
      case 'stage':
        out(`Staged key ${await ctx.keys.createKey('next')}: published in JWKS after the next rolling restart, not yet signing.`);
        break;
      case 'activate': {
        const kid = await ctx.keys.activateNext();
        out(kid ? `Key ${kid} now signs (after the next rolling restart); the previous key stays published until purged.` : 'No staged key: run "stage" first.');
        break;
      }
      case 'purge': {
        const i = rest.indexOf('--older-than-days');
        const days = i >= 0 ? Number(rest[i + 1]) : 400;
        // Retired keys still verify audit checkpoints and consent receipts: keep them at least
        // as long as the audit retention (400 days).
        if (!Number.isFinite(days) || days < 1 || (days < 400 && !rest.includes('--force'))) throw new Error('--older-than-days must be at least 400 (audit checkpoints and receipts are verified with retired keys); --force only for a leaked key');
        out(`Removed ${await ctx.keys.purgeRetired(new Date(Date.now() - days * 86_400_000))} retired key(s) retired more than ${days} days ago.`);
        break;
      }
      case 'list':
        for (const key of await ctx.keys.listKeys()) out(`${key.kid}\t${key.status}\tcreated ${key.createdAt.toISOString()}`);
        break;
      default:
        throw new Error(`Unknown command "${command}": use stage, activate, purge or list`);
    }
  } finally {
    await ctx.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
});
