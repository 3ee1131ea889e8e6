import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { Client } from 'pg';
import { HUB_CONFIG, type HubConfig } from '../../platform/config/hub.config';

/** Channels notified by the triggers of migration 1764400000000 (at commit). */
export const OUTBOX_CHANNEL = 'tsunagu_consent_outbox';
export const ACK_CHANNEL = 'tsunagu_revocation_acks';
const RECONNECT_MS = [250, 1_000, 5_000];

/**
 * Wake-ups of the withdrawal path, in this process and across replicas: "an outbox row was
 * written" (the dispatcher claims it at once) and "a delivery of outbox row N progressed" (a
 * replica waiting for acknowledgements looks again). On a PostgreSQL server one dedicated
 * connection LISTENs to the channels the triggers notify at commit, so a change committed, or an
 * acknowledgement stored, by any replica reaches every replica within milliseconds. The embedded
 * database has one process and one connection: there, only the in-process signals exist.
 *
 * Only wake-ups: the tables are the truth, and the dispatcher's slow poll and sweep catch
 * anything a lost notification (a reconnect) missed.
 */
@Injectable()
export class RevocationSignals implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new AppLogger(RevocationSignals.name);
  private readonly outboxListeners = new Set<() => void>();
  private readonly progressListeners = new Set<(outboxSeq: string) => void>();
  private client?: Client;
  private reconnects = 0;
  private reconnectTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.DATABASE_URL) await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    await this.client?.end().catch(() => undefined);
  }

  /** Whether another replica's changes reach this one at once (a LISTEN connection is up). */
  get listening(): boolean {
    return !!this.client;
  }

  onOutbox(listener: () => void): () => void {
    this.outboxListeners.add(listener);
    return () => this.outboxListeners.delete(listener);
  }

  onProgress(listener: (outboxSeq: string) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  /** In process: the deliveries of `outboxSeq` were created or one was acknowledged. */
  progressed(outboxSeq: string): void {
    for (const listener of this.progressListeners) this.call(() => listener(outboxSeq));
  }

  /** In process: an outbox row (a connector's revocation) has just been committed here, or the notification came. */
  outboxWritten(): void {
    for (const listener of this.outboxListeners) this.call(listener);
  }

  private call(listener: () => void): void {
    try {
      listener();
    } catch (error) {
      this.logger.error('A revocation signal listener failed', error);
    }
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.config.DATABASE_URL, application_name: 'tsunagu-listen' });
    client.on('notification', (message) => {
      if (message.channel === OUTBOX_CHANNEL) this.outboxWritten();
      else if (message.channel === ACK_CHANNEL && message.payload) this.progressed(message.payload);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      await client.query(`LISTEN ${ACK_CHANNEL}`);
    } catch (error) {
      this.lost(client, error as Error);
      return;
    }
    this.client = client;
    if (this.reconnects) this.logger.log(LogKind.Communication, 'Listening to consent changes again');
    this.reconnects = 0;
    // Whatever was notified while no connection listened is found by looking once now.
    this.outboxWritten();
  }

  private lost(client: Client, error?: Error): void {
    if (this.client && this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    if (this.stopped || this.reconnectTimer) return;
    if (!this.reconnects) this.logger.warn(LogKind.Communication, 'Not listening to consent changes; reconnecting (the dispatcher polls meanwhile)', { problem: error?.message });
    const delay = RECONNECT_MS[Math.min(this.reconnects++, RECONNECT_MS.length - 1)];
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.listen();
    }, delay);
    this.reconnectTimer.unref();
  }
}
