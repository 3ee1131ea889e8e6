import { join } from 'node:path';
import type { JSONSchemaType } from 'ajv';
import { ConfigError, loadConfig } from '@tsunagu/config';
import { DEFAULT_LOG_LEVEL, LOG_LEVELS, type LogLevel } from '@tsunagu/logger';
import { cidrListProblems } from '@tsunagu/common';

/**
 * Every setting of the hub, validated once at boot. Secrets are marked `sensitive` in the schema
 * (their values are never printed); none has a production default.
 */
export interface HubConfig {
  NODE_ENV: 'development' | 'production' | 'test';
  HOST: string;
  PORT: number;
  /** The address residents and services use to reach the hub (the load balancer's, with replicas). */
  PUBLIC_URL: string;
  /** A real PostgreSQL server; when absent the embedded PGlite database under DATA_DIR is used. Secret (may carry a password). */
  DATABASE_URL?: string;
  /** Redis for OIDC sessions/grants and bull queues; when absent, in-process implementations. Secret (may carry a password). */
  REDIS_URL?: string;
  /** Prefix of every Redis key (lets several hubs or test runs share one Redis). */
  REDIS_PREFIX: string;
  DATA_DIR: string;
  /** Secret (base64url, 32 bytes) that encrypts private keys and secrets at rest. Required in production. */
  KEY_ENCRYPTION_KEY?: string;
  /** Trust X-Forwarded-* headers (set when the hub runs behind a load balancer). */
  TRUST_PROXY: boolean;
  /** Seed the demo services and residents (never in production). */
  SEED_DEMO: boolean;
  DEMO_CASHLESS_URL: string;
  DEMO_MISASA_URL: string;
  /** Secret: the seeded demo services' client secrets. */
  DEMO_CASHLESS_CLIENT_SECRET: string;
  DEMO_MISASA_CLIENT_SECRET: string;
  /**
   * Throttling (docs/security.md "Throttling and enumeration"), for residents' and admins' sign-in
   * alike: attempts for one login ID from one address per window, before a block that doubles
   * each time it recurs within a day…
   */
  THROTTLE_ID_ATTEMPTS: number;
  THROTTLE_ID_WINDOW_SECONDS: number;
  THROTTLE_ID_BLOCK_SECONDS: number;
  /** …attempts for one login ID from all addresses together in the same window (guessing from many machines)… */
  THROTTLE_ID_ATTEMPTS_ANY_ADDRESS: number;
  /** …and sign-in attempts from one address per minute, whatever the login IDs. */
  THROTTLE_ADDRESS_SIGN_INS_PER_MINUTE: number;
  /** Resident registrations tried from one address per hour (registration says when an ID cannot be used). */
  THROTTLE_ADDRESS_REGISTRATIONS_PER_HOUR: number;
  /** Requests to the OIDC token endpoint per client per minute, and per address per minute. */
  THROTTLE_TOKEN_PER_CLIENT_PER_MINUTE: number;
  THROTTLE_TOKEN_PER_ADDRESS_PER_MINUTE: number;
  /** Identity-proofing (JPKI) challenges and verifications per resident per minute (per address: three times this). */
  THROTTLE_JPKI_PER_MINUTE: number;
  /** Requests to the connector API (/connect/v1) per address per minute. */
  THROTTLE_CONNECT_PER_ADDRESS_PER_MINUTE: number;
  /** Inquiries (問い合わせ) sent per address per hour (a flood from one address is refused with 429). */
  THROTTLE_INQUIRIES_PER_HOUR: number;
  /** Password-reset steps (requests, card challenges, new passwords) per address per hour… */
  THROTTLE_RECOVERY_PER_ADDRESS_PER_HOUR: number;
  /** …and per login ID (or resident, for verification mails) per hour, from every address together. */
  THROTTLE_RECOVERY_PER_ID_PER_HOUR: number;
  /** How long a password-reset link works (short: it stands for the password). */
  RECOVERY_RESET_TTL_SECONDS: number;
  /** How long an e-mail verification link works. */
  RECOVERY_EMAIL_VERIFICATION_TTL_SECONDS: number;
  /**
   * The SMTP server the hub sends e-mail through (verification and reset links). Unset: the hub
   * sends no e-mail, and the portal says that reset by e-mail is not available (the card path is).
   */
  SMTP_HOST?: string;
  SMTP_PORT: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS is used when the server offers it. */
  SMTP_SECURE: boolean;
  SMTP_USER?: string;
  /** Secret. */
  SMTP_PASSWORD?: string;
  /** The From address of the hub's e-mail. */
  MAIL_FROM: string;
  OIDC_CODE_TTL_SECONDS: number;
  OIDC_ACCESS_TOKEN_TTL_SECONDS: number;
  OIDC_REFRESH_TOKEN_TTL_SECONDS: number;
  OIDC_SESSION_TTL_SECONDS: number;
  LOG_LEVEL: LogLevel;
  /**
   * Withdrawal enforcement (ARCHITECTURE.md §6, docs/connector.md §7): how long a withdrawal's
   * answer waits for the connectors' signed acknowledgements before it says "enforced by …"…
   */
  REVOCATION_ACK_WAIT_MS: number;
  /**
   * How long after a departure (退会) the hub waits for every connector's acknowledgement of its
   * erasure request before it issues the erasure certificate anyway, naming those that did not
   * answer (docs/erasure.md). The requests are sent on after that until acknowledged.
   */
  ERASURE_ACK_WAIT_SECONDS: number;
  /**
   * …and the staleness bound the hub imposes on providers (sent in every signed feed page; a
   * connector uses the smaller of this and its own): a provider that has not pulled the feed for
   * this long refuses to serve. Bounds how long a withdrawal can go unseen when pushes fail.
   */
  REVOCATION_STALENESS_SECONDS: number;
  /** Retired signing keys leave JWKS after this many days (they must outlive every token and receipt they signed). */
  KEY_RETIRED_RETENTION_DAYS: number;
  /** JPKI trust anchors: comma-separated PEM/DER files (the JPKI signature CA certificate). */
  JPKI_TRUST_ANCHORS?: string;
  /** Intermediate CA certificates, comma-separated files (none for the real JPKI CA). */
  JPKI_INTERMEDIATES?: string;
  /**
   * Where CRLs come from: comma-separated http(s) URLs or files (DER). Partitioned CRLs (one per
   * municipality's distribution point, critical issuingDistributionPoint) are told apart by their
   * own issuingDistributionPoint: list every partition the hub must answer for.
   */
  JPKI_CRL_SOURCES?: string;
  /**
   * How a resident certificate's revocation is checked: `crl` (the stored CRLs, default) or
   * `ocsp` (RFC 6960: the responder the certificate names in authorityInfoAccess, else
   * JPKI_OCSP_URL — e.g. a platform operator's responder).
   */
  JPKI_REVOCATION: 'crl' | 'ocsp';
  /**
   * OCSP responder URL (POST application/ocsp-request): the fallback for certificates that name
   * no responder (authorityInfoAccess id-ad-ocsp), or, with JPKI_OCSP_URL_OVERRIDE, the only one.
   */
  JPKI_OCSP_URL?: string;
  /**
   * Ask JPKI_OCSP_URL for every certificate, whatever responder it names (a platform operator's
   * responder or gateway: relying parties usually cannot reach the CA's own). Default false.
   */
  JPKI_OCSP_URL_OVERRIDE: boolean;
  /** OCSP request timeout. */
  JPKI_OCSP_TIMEOUT_MS: number;
  /** Clock difference tolerated with the OCSP responder (thisUpdate, nextUpdate, producedAt). */
  JPKI_OCSP_MAX_SKEW_SECONDS: number;
  JPKI_CRL_REFRESH_MINUTES: number;
  /**
   * How often every current identity verification is checked again against the stored CRLs and
   * its expiry (verification for life; also after each CRL refresh). Seconds.
   */
  JPKI_RECHECK_SECONDS: number;
  JPKI_CHALLENGE_TTL_SECONDS: number;
  /**
   * Development only: a generated test CA replaces the JPKI trust anchors and the portal offers a
   * "test card" that signs challenges with its keys. Refused in production.
   */
  JPKI_TEST_CARD: boolean;
  /** Networks (comma-separated CIDRs) system admins may work from; tenant admins' come from each tenant. */
  ADMIN_SYSTEM_ALLOWED_CIDRS: string;
  /**
   * Proxies (comma-separated CIDRs) whose X-Forwarded-For the admin allow-lists believe; from any
   * other peer the header is ignored. Empty: the TCP peer is the client.
   */
  ADMIN_TRUSTED_PROXIES?: string;
  /** Monitoring networks (comma-separated CIDRs) that may scrape /metrics; the client address is read through ADMIN_TRUSTED_PROXIES. */
  METRICS_ALLOWED_CIDRS: string;
  /** Where backups go (docs/backup.md); default DATA_DIR/backups. */
  BACKUP_DIR?: string;
  /** How many days keep a backup (the newest of each day). */
  BACKUP_KEEP_DAILY: number;
  /** Secret: 32 bytes base64url; backups are AES-256-GCM encrypted with it (production refuses to back up without it). */
  BACKUP_ENCRYPTION_KEY?: string;
  /** The platform backs its database up when the newest backup is this many hours old (checked hourly); 0: never (an outside scheduler runs `npm run backup`). */
  BACKUP_EVERY_HOURS: number;
  /** …and once this many seconds after start (a restarted process catches up a missed day without waiting an hour). */
  BACKUP_FIRST_CHECK_SECONDS: number;
  /** Also write the logs to daily-rotated, gzip'd files here, kept 400 days (docs/operations.md); default DATA_DIR/logs in production, none otherwise. */
  LOG_DIR?: string;
  /**
   * What this process does: `all` (default: HTTP and the job processors), `web` (HTTP only: jobs are
   * added, a worker runs them) or `worker` (the processors only; `npm run worker`). Not `all` needs REDIS_URL.
   */
  HUB_ROLE: 'all' | 'web' | 'worker';
  /** Where a worker serves /health and /metrics. */
  WORKER_PORT: number;
  /** An admin session ends after this many minutes without a request. */
  ADMIN_SESSION_IDLE_MINUTES: number;
  /** …and at the latest this many hours after sign-in. */
  ADMIN_SESSION_MAX_HOURS: number;
  /** The audit chain (docs/audit.md): a signed checkpoint once this many rows have been appended since the last one… */
  AUDIT_CHECKPOINT_EVERY_ROWS: number;
  /** …or once this many minutes have passed since the last one, if any row came in meanwhile. */
  AUDIT_CHECKPOINT_EVERY_MINUTES: number;
  /** Rows older than this are exported and pruned by the daily job. The procurement spec asks for at least 400 days. */
  AUDIT_RETENTION_DAYS: number;
  /** Hours between two walks of the whole audit chain by the `verify-audit-chain` job (0: never; `npm run audit:verify` still works). */
  AUDIT_VERIFY_EVERY_HOURS: number;
  /** Folder, relative to DATA_DIR, that receives the gzip'd NDJSON exports of pruned rows. */
  AUDIT_EXPORT_DIR: string;
  /** The inquiry desk residents are shown on /contact (and in the manual): its name, Japanese and English… */
  CONTACT_DESK_JA?: string;
  CONTACT_DESK_EN?: string;
  /** …how to reach it… */
  CONTACT_EMAIL?: string;
  CONTACT_PHONE?: string;
  /** …and when it answers. */
  CONTACT_HOURS_JA?: string;
  CONTACT_HOURS_EN?: string;
}

/** The inquiry desk as the site pages read it from {@link HUB_CONFIG}. */
export type ContactConfig = Pick<HubConfig, 'CONTACT_DESK_JA' | 'CONTACT_DESK_EN' | 'CONTACT_EMAIL' | 'CONTACT_PHONE' | 'CONTACT_HOURS_JA' | 'CONTACT_HOURS_EN'>;

/** The settings of the audit chain, as the audit module reads them from {@link HUB_CONFIG}. */
export type AuditConfig = Pick<HubConfig, 'AUDIT_CHECKPOINT_EVERY_ROWS' | 'AUDIT_CHECKPOINT_EVERY_MINUTES' | 'AUDIT_RETENTION_DAYS' | 'AUDIT_EXPORT_DIR'>;

export const hubConfigSchema: JSONSchemaType<HubConfig> = {
  type: 'object',
  properties: {
    NODE_ENV: { type: 'string', enum: ['development', 'production', 'test'], default: 'development' },
    HOST: { type: 'string', default: '127.0.0.1' },
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 3000 },
    PUBLIC_URL: { type: 'string', format: 'uri', pattern: '^https?://[^/]+$', default: 'http://localhost:3000' },
    DATABASE_URL: { type: 'string', pattern: '^postgres(ql)?://', nullable: true, sensitive: true },
    REDIS_URL: { type: 'string', pattern: '^rediss?://', nullable: true, sensitive: true },
    REDIS_PREFIX: { type: 'string', default: 'tsunagu:' },
    DATA_DIR: { type: 'string', default: './data' },
    KEY_ENCRYPTION_KEY: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$', nullable: true, sensitive: true },
    TRUST_PROXY: { type: 'boolean', default: false },
    SEED_DEMO: { type: 'boolean', default: true },
    DEMO_CASHLESS_URL: { type: 'string', format: 'uri', default: 'http://localhost:3101' },
    DEMO_MISASA_URL: { type: 'string', format: 'uri', default: 'http://localhost:3102' },
    DEMO_CASHLESS_CLIENT_SECRET: { type: 'string', minLength: 16, default: 'demo-cashless-secret', sensitive: true },
    DEMO_MISASA_CLIENT_SECRET: { type: 'string', minLength: 16, default: 'demo-misasa-health-secret', sensitive: true },
    THROTTLE_ID_ATTEMPTS: { type: 'integer', minimum: 1, maximum: 100, default: 5 },
    THROTTLE_ID_WINDOW_SECONDS: { type: 'integer', minimum: 1, maximum: 86400, default: 900 },
    THROTTLE_ID_BLOCK_SECONDS: { type: 'integer', minimum: 1, maximum: 86400, default: 900 },
    THROTTLE_ID_ATTEMPTS_ANY_ADDRESS: { type: 'integer', minimum: 1, maximum: 10000, default: 50 },
    THROTTLE_ADDRESS_SIGN_INS_PER_MINUTE: { type: 'integer', minimum: 1, maximum: 100000, default: 30 },
    THROTTLE_ADDRESS_REGISTRATIONS_PER_HOUR: { type: 'integer', minimum: 1, maximum: 100000, default: 10 },
    THROTTLE_TOKEN_PER_CLIENT_PER_MINUTE: { type: 'integer', minimum: 1, maximum: 1000000, default: 6000 },
    THROTTLE_TOKEN_PER_ADDRESS_PER_MINUTE: { type: 'integer', minimum: 1, maximum: 1000000, default: 6000 },
    THROTTLE_JPKI_PER_MINUTE: { type: 'integer', minimum: 1, maximum: 10000, default: 10 },
    THROTTLE_CONNECT_PER_ADDRESS_PER_MINUTE: { type: 'integer', minimum: 1, maximum: 1000000, default: 30000 },
    THROTTLE_INQUIRIES_PER_HOUR: { type: 'integer', minimum: 1, maximum: 100000, default: 5 },
    THROTTLE_RECOVERY_PER_ADDRESS_PER_HOUR: { type: 'integer', minimum: 1, maximum: 100000, default: 30 },
    THROTTLE_RECOVERY_PER_ID_PER_HOUR: { type: 'integer', minimum: 1, maximum: 100000, default: 5 },
    RECOVERY_RESET_TTL_SECONDS: { type: 'integer', minimum: 60, maximum: 86400, default: 1800 },
    RECOVERY_EMAIL_VERIFICATION_TTL_SECONDS: { type: 'integer', minimum: 300, maximum: 604800, default: 86400 },
    SMTP_HOST: { type: 'string', minLength: 1, maxLength: 253, nullable: true },
    SMTP_PORT: { type: 'integer', minimum: 1, maximum: 65535, default: 587 },
    SMTP_SECURE: { type: 'boolean', default: false },
    SMTP_USER: { type: 'string', minLength: 1, maxLength: 256, nullable: true },
    SMTP_PASSWORD: { type: 'string', minLength: 1, maxLength: 256, nullable: true, sensitive: true },
    MAIL_FROM: { type: 'string', minLength: 3, maxLength: 320, default: 'Tsunagu <no-reply@tsunagu.localhost>' },
    OIDC_CODE_TTL_SECONDS: { type: 'integer', minimum: 1, maximum: 600, default: 60 },
    OIDC_ACCESS_TOKEN_TTL_SECONDS: { type: 'integer', minimum: 30, default: 600 },
    OIDC_REFRESH_TOKEN_TTL_SECONDS: { type: 'integer', minimum: 60, default: 1209600 },
    OIDC_SESSION_TTL_SECONDS: { type: 'integer', minimum: 60, default: 28800 },
    LOG_LEVEL: { type: 'string', enum: [...LOG_LEVELS], default: DEFAULT_LOG_LEVEL },
    REVOCATION_ACK_WAIT_MS: { type: 'integer', minimum: 100, maximum: 10000, default: 1000 },
    ERASURE_ACK_WAIT_SECONDS: { type: 'integer', minimum: 1, maximum: 2592000, default: 3600 },
    REVOCATION_STALENESS_SECONDS: { type: 'integer', minimum: 2, maximum: 3600, default: 6 },
    KEY_RETIRED_RETENTION_DAYS: { type: 'integer', minimum: 400, default: 3650 },
    JPKI_TRUST_ANCHORS: { type: 'string', nullable: true },
    JPKI_INTERMEDIATES: { type: 'string', nullable: true },
    JPKI_CRL_SOURCES: { type: 'string', nullable: true },
    JPKI_REVOCATION: { type: 'string', enum: ['crl', 'ocsp'], default: 'crl' },
    JPKI_OCSP_URL: { type: 'string', pattern: '^https?://', maxLength: 2000, nullable: true },
    JPKI_OCSP_URL_OVERRIDE: { type: 'boolean', default: false },
    JPKI_OCSP_TIMEOUT_MS: { type: 'integer', minimum: 100, maximum: 60000, default: 5000 },
    JPKI_OCSP_MAX_SKEW_SECONDS: { type: 'integer', minimum: 0, maximum: 3600, default: 300 },
    JPKI_CRL_REFRESH_MINUTES: { type: 'integer', minimum: 1, maximum: 1440, default: 60 },
    JPKI_RECHECK_SECONDS: { type: 'integer', minimum: 2, maximum: 86400, default: 3600 },
    JPKI_CHALLENGE_TTL_SECONDS: { type: 'integer', minimum: 30, maximum: 900, default: 300 },
    JPKI_TEST_CARD: { type: 'boolean', default: false },
    ADMIN_SYSTEM_ALLOWED_CIDRS: { type: 'string', maxLength: 4000, default: '127.0.0.1/32,::1/128' },
    ADMIN_TRUSTED_PROXIES: { type: 'string', maxLength: 4000, nullable: true },
    METRICS_ALLOWED_CIDRS: { type: 'string', maxLength: 4000, default: '127.0.0.1/32,::1/128' },
    BACKUP_DIR: { type: 'string', minLength: 1, maxLength: 1000, nullable: true },
    BACKUP_KEEP_DAILY: { type: 'integer', minimum: 1, maximum: 400, default: 7 },
    BACKUP_ENCRYPTION_KEY: { type: 'string', minLength: 43, maxLength: 43, pattern: '^[A-Za-z0-9_-]{43}$', nullable: true, sensitive: true },
    BACKUP_EVERY_HOURS: { type: 'integer', minimum: 0, maximum: 168, default: 24 },
    BACKUP_FIRST_CHECK_SECONDS: { type: 'integer', minimum: 1, maximum: 86400, default: 300 },
    LOG_DIR: { type: 'string', minLength: 1, maxLength: 1000, nullable: true },
    HUB_ROLE: { type: 'string', enum: ['all', 'web', 'worker'], default: 'all' },
    WORKER_PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 3009 },
    ADMIN_SESSION_IDLE_MINUTES: { type: 'integer', minimum: 1, maximum: 480, default: 15 },
    ADMIN_SESSION_MAX_HOURS: { type: 'integer', minimum: 1, maximum: 24, default: 10 },
    AUDIT_CHECKPOINT_EVERY_ROWS: { type: 'integer', minimum: 1, default: 1000 },
    AUDIT_CHECKPOINT_EVERY_MINUTES: { type: 'integer', minimum: 1, default: 60 },
    AUDIT_RETENTION_DAYS: { type: 'integer', minimum: 400, default: 400 },
    AUDIT_VERIFY_EVERY_HOURS: { type: 'integer', minimum: 0, maximum: 168, default: 24 },
    // Relative, and no ".." segment: exports stay under DATA_DIR.
    AUDIT_EXPORT_DIR: { type: 'string', pattern: '^(?![/\\\\])(?!.*(^|[/\\\\])\\.\\.([/\\\\]|$)).+$', default: 'audit-exports' },
    CONTACT_DESK_JA: { type: 'string', minLength: 1, maxLength: 200, nullable: true },
    CONTACT_DESK_EN: { type: 'string', minLength: 1, maxLength: 200, nullable: true },
    CONTACT_EMAIL: { type: 'string', format: 'email', maxLength: 254, nullable: true },
    CONTACT_PHONE: { type: 'string', pattern: '^[0-9+()\\- ]{4,32}$', nullable: true },
    CONTACT_HOURS_JA: { type: 'string', minLength: 1, maxLength: 200, nullable: true },
    CONTACT_HOURS_EN: { type: 'string', minLength: 1, maxLength: 200, nullable: true },
  },
  required: ['NODE_ENV', 'HOST', 'PORT', 'PUBLIC_URL', 'REDIS_PREFIX', 'DATA_DIR', 'TRUST_PROXY', 'SEED_DEMO',
    'DEMO_CASHLESS_URL', 'DEMO_MISASA_URL', 'DEMO_CASHLESS_CLIENT_SECRET', 'DEMO_MISASA_CLIENT_SECRET',
    'THROTTLE_ID_ATTEMPTS', 'THROTTLE_ID_WINDOW_SECONDS', 'THROTTLE_ID_BLOCK_SECONDS', 'THROTTLE_ID_ATTEMPTS_ANY_ADDRESS',
    'THROTTLE_ADDRESS_SIGN_INS_PER_MINUTE', 'THROTTLE_ADDRESS_REGISTRATIONS_PER_HOUR', 'THROTTLE_TOKEN_PER_CLIENT_PER_MINUTE',
    'THROTTLE_TOKEN_PER_ADDRESS_PER_MINUTE', 'THROTTLE_JPKI_PER_MINUTE', 'THROTTLE_CONNECT_PER_ADDRESS_PER_MINUTE', 'OIDC_CODE_TTL_SECONDS', 'OIDC_ACCESS_TOKEN_TTL_SECONDS',
    'OIDC_REFRESH_TOKEN_TTL_SECONDS', 'OIDC_SESSION_TTL_SECONDS', 'LOG_LEVEL', 'REVOCATION_ACK_WAIT_MS', 'ERASURE_ACK_WAIT_SECONDS', 'REVOCATION_STALENESS_SECONDS', 'KEY_RETIRED_RETENTION_DAYS',
    'JPKI_CRL_REFRESH_MINUTES', 'JPKI_RECHECK_SECONDS', 'JPKI_CHALLENGE_TTL_SECONDS', 'JPKI_TEST_CARD', 'JPKI_REVOCATION', 'JPKI_OCSP_URL_OVERRIDE', 'JPKI_OCSP_TIMEOUT_MS', 'JPKI_OCSP_MAX_SKEW_SECONDS',
    'ADMIN_SYSTEM_ALLOWED_CIDRS', 'METRICS_ALLOWED_CIDRS',
    'THROTTLE_RECOVERY_PER_ADDRESS_PER_HOUR', 'THROTTLE_RECOVERY_PER_ID_PER_HOUR', 'RECOVERY_RESET_TTL_SECONDS', 'RECOVERY_EMAIL_VERIFICATION_TTL_SECONDS', 'SMTP_PORT', 'SMTP_SECURE', 'MAIL_FROM', 'BACKUP_KEEP_DAILY', 'BACKUP_EVERY_HOURS', 'BACKUP_FIRST_CHECK_SECONDS', 'HUB_ROLE', 'WORKER_PORT', 'ADMIN_SESSION_IDLE_MINUTES', 'ADMIN_SESSION_MAX_HOURS',
    'AUDIT_CHECKPOINT_EVERY_ROWS', 'AUDIT_CHECKPOINT_EVERY_MINUTES', 'AUDIT_RETENTION_DAYS', 'AUDIT_EXPORT_DIR', 'AUDIT_VERIFY_EVERY_HOURS'],
  additionalProperties: false,
};

/** Where the year-long log files go: LOG_DIR, or DATA_DIR/logs in production. */
export function logDirOf(config: Pick<HubConfig, 'LOG_DIR' | 'DATA_DIR' | 'NODE_ENV'>): string | undefined {
  return config.LOG_DIR ?? (config.NODE_ENV === 'production' ? join(config.DATA_DIR, 'logs') : undefined);
}

/** Injection token of the typed hub config. */
export const HUB_CONFIG = Symbol('HUB_CONFIG');

export function loadHubConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  const config = loadConfig(hubConfigSchema, env);
  const networkProblems = [
    ...cidrListProblems('ADMIN_SYSTEM_ALLOWED_CIDRS', config.ADMIN_SYSTEM_ALLOWED_CIDRS),
    ...cidrListProblems('ADMIN_TRUSTED_PROXIES', config.ADMIN_TRUSTED_PROXIES ?? ''),
    ...cidrListProblems('METRICS_ALLOWED_CIDRS', config.METRICS_ALLOWED_CIDRS),
  ];
  if (config.JPKI_OCSP_URL_OVERRIDE && !config.JPKI_OCSP_URL) networkProblems.push('JPKI_OCSP_URL: required with JPKI_OCSP_URL_OVERRIDE=true');
  if (config.HUB_ROLE !== 'all' && !config.REDIS_URL) networkProblems.push(`HUB_ROLE: ${config.HUB_ROLE} needs REDIS_URL (jobs must reach the worker through Redis)`);
  if (networkProblems.length) throw new ConfigError(networkProblems);
  if (config.NODE_ENV === 'production') {
    const problems: string[] = [];
    if (!config.KEY_ENCRYPTION_KEY) problems.push('KEY_ENCRYPTION_KEY: required in production');
    if (!config.DATABASE_URL) problems.push('DATABASE_URL: required in production (the embedded database is for development)');
    if (config.SEED_DEMO) problems.push('SEED_DEMO: must be false in production');
    if (!config.PUBLIC_URL.startsWith('https://')) problems.push('PUBLIC_URL: must be https in production');
    if (config.JPKI_TEST_CARD) problems.push('JPKI_TEST_CARD: the test card is for development only');
    if (problems.length) throw new ConfigError(problems);
  }
  return config;
}
