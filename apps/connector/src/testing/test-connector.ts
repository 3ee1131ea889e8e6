import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Clock } from '@tsunagu/common';
import { type LoadedConnectorConfig, loadConnectorConfigFile, validateConnectorConfig } from '../config/connector-file';
import { createConnectorApp } from '../connector.app';
import type { ConnectorRuntime } from '../connector.module';
import { type ConnectorKeys, generateConnectorKeyFile, keysFromFile } from '../keys/connector-keys';
import type { KnownConnector } from './fake-hub';

export const CONFIG_DIR = join(__dirname, '..', '..', '..', '..', 'connector-configs');

/** A clock tests move by hand. */
export class TestClock implements Clock {
  constructor(public current = new Date()) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** One of the shipped files, pointed at test servers. */
export function shippedConfig(name: 'cashless' | 'misasa-health', overrides: { id: string; hubUrl: string; serviceUrl: string; publicUrl: string; pullIntervalSeconds?: number; stalenessSeconds?: number; keyFile?: string }): LoadedConnectorConfig {
  const shipped = loadConnectorConfigFile(join(CONFIG_DIR, `${name}.yaml`));
  const { source: _source, ...raw } = shipped;
  return validateConnectorConfig({
    ...raw,
    connector: { name: shipped.connector.name, id: overrides.id },
    hub: { url: overrides.hubUrl },
    service: { ...shipped.service, url: overrides.serviceUrl, timeoutMs: 1000 },
    peer: { timeoutMs: 2000 },
    publicUrl: overrides.publicUrl,
    keys: { file: overrides.keyFile ?? `/nonexistent/${name}.key.json` },
    revocations: { pullIntervalSeconds: overrides.pullIntervalSeconds ?? 60, stalenessSeconds: overrides.stalenessSeconds ?? 120, retainSeconds: 600 },
  }, `${name}.yaml (test)`);
}

/** Fresh keys for a test connector, and what the fake hub must know of it. */
export async function testKeys(id: string, url: string): Promise<{ keys: ConnectorKeys; known: KnownConnector }> {
  const keys = await keysFromFile(await generateConnectorKeyFile());
  return { keys, known: { id, signingJwk: keys.signing.publicJwk, encryptionJwk: keys.encryption.publicJwk, url } };
}

/** A connector app built from a runtime (initialised, not listening). */
export async function testConnectorApp(runtime: Omit<ConnectorRuntime, 'secrets'> & { secrets?: ConnectorRuntime['secrets'] }): Promise<NestExpressApplication> {
  const app = await createConnectorApp({ secrets: {}, ...runtime });
  await app.init();
  return app;
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
