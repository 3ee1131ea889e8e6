import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ConnectorConfigError, loadConnectorConfigFile, withEnvOverrides } from '../config/connector-file';
import { loadConnectorEnv } from '../connector.config';
import { KeyFileError } from '../keys/connector-keys';
import { ConnectorRegistration, RegistrationError } from './registration';

const USAGE = `Usage: npm run connector:register -- --config FILE [--rotate] [--dry-run] [--no-wait] [--timeout SECONDS] [--interval SECONDS]

  --config FILE       the connector's configuration (connector-configs/*.yaml)
  --rotate            replace existing keys (the hub must accept the rotation; the old file is kept as *.retired)
  --dry-run           print the keys and the registration request; write and send nothing
  --no-wait           register and exit without waiting for approval
  --timeout SECONDS   how long to wait for approval (default 600)
  --interval SECONDS  how often to ask the hub (default 5)

Exit codes: 0 registered (and approved unless --no-wait), 1 refused or failed, 2 not approved in time, 64 usage.
`;

const out = (line: string) => process.stdout.write(`${line}\n`);

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string' }, rotate: { type: 'boolean', default: false }, 'dry-run': { type: 'boolean', default: false },
        'no-wait': { type: 'boolean', default: false }, timeout: { type: 'string', default: '600' }, interval: { type: 'string', default: '5' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 64;
  }
  const timeoutSeconds = Number(values.timeout);
  const intervalSeconds = Number(values.interval);
  if (values.help || !values.config || !(timeoutSeconds > 0) || !(intervalSeconds > 0)) {
    process.stderr.write(USAGE);
    return values.help ? 0 : 64;
  }
  try {
    // The same overrides as the connector's (HUB_URL, CONNECTOR_PUBLIC_URL, CONNECTOR_KEYS_FILE…): registered as it will run.
    const config = withEnvOverrides(loadConnectorConfigFile(values.config), loadConnectorEnv());
    const registration = new ConnectorRegistration(config, {
      fetch: (input, init) => fetch(input, init), now: () => new Date(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)), out,
    });
    await registration.run({ rotate: values.rotate, dryRun: values['dry-run'], wait: !values['no-wait'], timeoutSeconds, intervalSeconds });
    return 0;
  } catch (error) {
    if (error instanceof ConnectorConfigError || error instanceof KeyFileError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    if (error instanceof RegistrationError) {
      process.stderr.write(`${error.problem}: ${error.message}\n`);
      return error.problem === 'approval_timeout' ? 2 : 1;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error) => {
  process.stderr.write(`connector:register failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
