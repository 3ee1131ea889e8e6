import './defer-nest-intl';
import 'reflect-metadata';
import { AppLogger } from '@tsunagu/logger';
import { startConnector } from './connector.app';
import { loadConnectorEnv } from './connector.config';

async function main(): Promise<void> {
  await startConnector(loadConnectorEnv());
}

main().catch((error) => {
  new AppLogger('Connector').error('Connector failed to start', error);
  process.exit(1);
});
