import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configureLogger } from '@tsunagu/logger';
import { type HubConfig, loadHubConfig } from '../apps/hub/src/platform/config/hub.config';
import { closeHubDatabase, type HubDatabase, openHubDatabase } from '../apps/hub/src/platform/database/hub-database';
import { KeysRepository } from '../apps/hub/src/platform/keys/keys.repository';
import { KeysService } from '../apps/hub/src/platform/keys/keys.service';
import { SecretBox } from '../apps/hub/src/platform/keys/secret-box';

/** What an operator command needs of the hub: config, a migrated database and the key service. */
export async function openHubContext(): Promise<{ config: HubConfig; db: HubDatabase; keys: KeysService; close(): Promise<void> }> {
  const config = loadHubConfig();
  configureLogger({ level: config.LOG_LEVEL });
  const keyFile = join(config.DATA_DIR, 'key-encryption.key');
  const kek = config.KEY_ENCRYPTION_KEY ?? (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined);
  if (!kek) throw new Error('KEY_ENCRYPTION_KEY is not set and no development key exists in DATA_DIR: start the hub once first');
  const db = await openHubDatabase(config);
  const keys = new KeysService(new KeysRepository(db.dataSource), new SecretBox(kek));
  return { config, db, keys, close: () => closeHubDatabase(db) };
}
