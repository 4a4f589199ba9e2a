import { z, type TrustProxySetting } from './env-schema.js';

export const DEV_ADMIN_EMAIL = 'admin@example.com';
export const DEV_ADMIN_PASSWORD = 'admin-change-me';
export const DEV_JWT_SECRET = 'dev-only-jwt-secret-change-me-0123456789';

/** The validated configuration of one process. Built once at start by {@link loadConfig}. */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  /** Unset: run the embedded PGlite under {@link dataDir}. */
  databaseUrl?: string;
  dataDir: string;
  adminEmail: string;
  adminPassword: string;
  jwtSecret: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Pool size; the embedded server accepts exactly this many connections. */
  dbPoolSize: number;
  /** Run pending migrations at start (always on the embedded default). */
  migrateOnStart: boolean;
  /** Background workers (event dispatcher, scheduler ticks). Off in `openapi` generation. */
  workers: boolean;
  bodyLimitBytes: number;
  /**
   * Which peers' `X-Forwarded-For` is believed (Fastify's `trustProxy`): the one client address
   * (`request.ip`) that rate limits and the audit log use. `false`: the socket's address.
   */
  trustProxy: TrustProxySetting;
  statementTimeoutMs: number;
  /** Domain events and schedulers (src/platform/events, src/platform/scheduling). */
  events: {
    /** Days events (and done deliveries) are kept for replay before the pruning job removes them. */
    retentionDays: number;
    /** Failed deliveries / timers are retried with exponential backoff, then parked after this many attempts. */
    maxAttempts: number;
    /** Readiness reports down when the oldest undelivered event is older than this. */
    lagThresholdMs: number;
    /** Dispatcher loops per process (the embedded database always uses one). */
    dispatchers: number;
    /** Safety-net poll interval when no commit nudges the dispatcher. */
    pollMs: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/**
 * Reads and validates the environment. A bad value throws a {@link ConfigError} naming the
 * variable; in production the development defaults for secrets are refused.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const nodeEnv = z.oneOf(env, 'NODE_ENV', ['development', 'production', 'test'] as const, 'development', problems);
  const production = nodeEnv === 'production';
  const config: AppConfig = {
    nodeEnv,
    port: z.int(env, 'PORT', 3000, { min: 0, max: 65535 }, problems),
    databaseUrl: z.url(env, 'DATABASE_URL', ['postgres:', 'postgresql:'], problems),
    dataDir: z.string(env, 'DATA_DIR', './data', problems),
    adminEmail: z.email(env, 'ADMIN_EMAIL', DEV_ADMIN_EMAIL, problems),
    adminPassword: z.string(env, 'ADMIN_PASSWORD', DEV_ADMIN_PASSWORD, problems, { minLength: 8 }),
    jwtSecret: z.string(env, 'JWT_SECRET', DEV_JWT_SECRET, problems, { minLength: 32 }),
    logLevel: z.oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info', problems),
    dbPoolSize: z.int(env, 'DB_POOL_SIZE', 10, { min: 1, max: 200 }, problems),
    migrateOnStart: z.bool(env, 'MIGRATE_ON_START', true, problems),
    workers: z.bool(env, 'WORKERS', true, problems),
    bodyLimitBytes: z.int(env, 'BODY_LIMIT_BYTES', 1_048_576, { min: 1024, max: 100_000_000 }, problems),
    trustProxy: z.trustProxy(env, 'TRUST_PROXY', problems),
    statementTimeoutMs: z.int(env, 'STATEMENT_TIMEOUT_MS', 30_000, { min: 100, max: 3_600_000 }, problems),
    events: {
      retentionDays: z.int(env, 'EVENT_RETENTION_DAYS', 7, { min: 1, max: 3650 }, problems),
      maxAttempts: z.int(env, 'EVENT_MAX_ATTEMPTS', 10, { min: 1, max: 100 }, problems),
      lagThresholdMs: z.int(env, 'OUTBOX_LAG_THRESHOLD_MS', 60_000, { min: 100, max: 86_400_000 }, problems),
      dispatchers: z.int(env, 'EVENT_DISPATCHERS', 4, { min: 1, max: 32 }, problems),
      pollMs: z.int(env, 'EVENT_POLL_MS', 500, { min: 10, max: 60_000 }, problems),
    },
  };
  if (production) {
    if (!env.JWT_SECRET) problems.push('JWT_SECRET: required when NODE_ENV=production');
    if (!env.ADMIN_PASSWORD || env.ADMIN_PASSWORD === DEV_ADMIN_PASSWORD) {
      problems.push('ADMIN_PASSWORD: the development default is refused when NODE_ENV=production');
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/**
 * What start-up must warn about loudly (logged at `warn` by `createApp`): the development JWT
 * secret is public, so anyone can forge access tokens for any user while it is in use. It is
 * refused when NODE_ENV=production; everywhere else the server starts, but says so.
 */
export function startupWarnings(config: Pick<AppConfig, 'jwtSecret'>): string[] {
  const warnings: string[] = [];
  if (config.jwtSecret === DEV_JWT_SECRET) {
    warnings.push(
      'SECURITY WARNING: access tokens are signed with the PUBLIC development JWT secret — anyone can forge a token for any user, the admin included. ' +
        'Set JWT_SECRET (at least 32 random characters) before this server is reachable by anyone else; it is refused when NODE_ENV=production.',
    );
  }
  return warnings;
}
