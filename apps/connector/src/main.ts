import 'reflect-metadata';
import { AppLogger } from '@tsunagu/logger';
import { startConnector } from './connector.app';
import { loadConnectorEnv } from './connector.config';

async function main(): Promise<void> {
  const env = loadConnectorEnv();
  // Log lines name the connector: from the file when there is one (known once it is read), else from the environment.
  if (!env.CONNECTOR_CONFIG) process.env.TSUNAGU_SERVICE ??= `connector-${env.CONNECTOR_NAME}`;
  await startConnector(env, { onIdentity: (identity) => { process.env.TSUNAGU_SERVICE ??= `connector-${identity.name}`; } });
}

main().catch((error) => {
  new AppLogger('Connector').error('Connector failed to start', error);
  process.exit(1);
});
