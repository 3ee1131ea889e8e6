import { ConfigError } from '@tsunagu/config';
import type { LogLevel } from '@tsunagu/logger';

/**
 * Everything the shared demo machinery needs to know about one demo service. Each app builds it
 * from its own validated env config (apps/demo-<name>/src/<name>.config.ts).
 */
export interface DemoSettings {
  /** Short machine name: session cookie name, data folder, log context (`demo-cashless`). */
  serviceName: string;
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Address residents use; when absent, `http://localhost:<listening port>`. */
  publicUrl?: string;
  /** Base URL of the hub; the OIDC issuer is `${hubUrl}/oidc`. */
  hubUrl: string;
  clientId: string;
  clientSecret: string;
  sessionSecret: string;
  /** `memory`: throw-away in-memory PGlite (tests); `pglite`: persisted under `${dataDir}/${serviceName}`. */
  store: 'pglite' | 'memory';
  dataDir: string;
  /** Trust X-Forwarded-* (behind a reverse proxy). */
  trustProxy: boolean;
  /**
   * Secret the connector presents on the internal API (`Authorization: Bearer …`, the connector's
   * CONNECTOR_SERVICE_TOKEN). Without it the internal API answers callers on this machine only.
   */
  serviceToken?: string;
  /** Base URL of this service's own connector, whose SDK (`/sdk/v1/requests`) it asks for other services' data. */
  connectorSdkUrl?: string;
  /** Secret: the connector's CONNECTOR_SDK_TOKEN (`Authorization: Bearer …` on the SDK calls). */
  connectorSdkToken?: string;
  /** LOG_LEVEL; when absent the logger keeps its level. */
  logLevel?: LogLevel;
}

/** Development default of DEMO_SESSION_SECRET; refused in production. */
export const DEV_SESSION_SECRET = 'tsunagu-demo-session-secret-for-development-only';

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * Where this demo and its hub are. The public URL is final only once the server listens, because
 * tests (and the cross-app end-to-end run) start demos on port 0.
 */
export class DemoRuntime {
  private resolvedPublicUrl: string;

  constructor(readonly settings: DemoSettings) {
    this.resolvedPublicUrl = trimSlash(settings.publicUrl ?? `http://localhost:${settings.port}`);
  }

  get publicUrl(): string {
    return this.resolvedPublicUrl;
  }

  get issuer(): string {
    return `${trimSlash(this.settings.hubUrl)}/oidc`;
  }

  get hubApiBase(): string {
    return `${trimSlash(this.settings.hubUrl)}/api/v1`;
  }

  get redirectUri(): string {
    return `${this.publicUrl}/auth/callback`;
  }

  get postLogoutRedirectUri(): string {
    return `${this.publicUrl}/`;
  }

  get secureCookies(): boolean {
    return this.publicUrl.startsWith('https://');
  }

  /** Called once the server listens: without a configured public URL, the real port is used. */
  listeningOn(port: number): void {
    if (!this.settings.publicUrl) this.resolvedPublicUrl = `http://localhost:${port}`;
  }
}

/** Production refuses the development defaults of secrets (config fails fast, listing every problem). */
export function assertProductionReady(settings: DemoSettings, devClientSecret: string, prefix: string): void {
  if (settings.nodeEnv !== 'production') return;
  const problems: string[] = [];
  if (settings.sessionSecret === DEV_SESSION_SECRET) problems.push('DEMO_SESSION_SECRET: set a secret of your own in production');
  if (settings.clientSecret === devClientSecret) problems.push(`${prefix}_CLIENT_SECRET: set a secret of your own in production`);
  if (settings.publicUrl && !settings.publicUrl.startsWith('https://')) problems.push(`${prefix}_PUBLIC_URL: must be https in production`);
  if (problems.length) throw new ConfigError(problems);
}
