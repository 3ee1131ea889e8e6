import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppLogger, LogKind, NestWinstonLogger } from '@tsunagu/logger';
import { loadConnectorConfig } from './connector.config';
import { ConnectorModule } from './connector.module';

async function main(): Promise<void> {
  const config = loadConnectorConfig();
  process.env.TSUNAGU_SERVICE ??= `connector-${config.CONNECTOR_NAME}`;
  const app = await NestFactory.create(ConnectorModule.forRoot(config), { logger: new NestWinstonLogger() });
  app.enableShutdownHooks();
  await app.listen(config.CONNECTOR_PORT, config.CONNECTOR_HOST);
  new AppLogger('Connector').log(LogKind.Event, 'Connector listening', { name: config.CONNECTOR_NAME, port: config.CONNECTOR_PORT });
}

main().catch((error) => {
  new AppLogger('Connector').error('Connector failed to start', error);
  process.exit(1);
});
