import { openHubContext } from './hub-context';

/** `npm run migration:run`: applies pending migrations (the hub also does this at boot). */
openHubContext()
  .then(async (ctx) => {
    process.stdout.write('Migrations are up to date.\n');
    await ctx.close();
  })
  .catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
    process.exit(1);
  });
