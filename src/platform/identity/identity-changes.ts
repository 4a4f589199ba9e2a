import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { isEmbeddedDatabase } from '../scheduling/batch-runner.js';

/** The channel the `platform.notify_identity_change()` triggers notify (payload: user id, or `*`). */
export const IDENTITY_CHANNEL = 'crm_identity';

const RECONNECT_MS = 1_000;
/** How long the start-up probe waits for a notification sent from another connection. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * The feed of identity changes: every write to `platform.app_user` (payload: the user's id) or
 * `platform.role` (`*`), however it is made, arrives here from PostgreSQL (`LISTEN crm_identity`
 * on a connection of its own) a moment after it commits, and in-process writers also report
 * theirs directly ({@link changed}) so that this process never waits for its own notification.
 *
 * `live` is true only while the listening connection is up: caches of identity state must not
 * be used otherwise (a change could be missed). It never becomes live on a server whose
 * notifications do not cross connections (PGlite: a start-up probe checks), nor on the embedded
 * default (no DATABASE_URL: its single connection is the app's pool).
 */
@Injectable()
export class IdentityChanges implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('IdentityChanges');
  private readonly subscribers: Array<(userId: string | null) => void> = [];
  private client: pg.Client | null = null;
  private closing = false;
  private retry: NodeJS.Timeout | null = null;
  /** Moves on with every change, and whenever the feed goes down or comes back. */
  generation = 0;
  live = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Called with the changed user's id, or null when anything may have changed (roles, feed lost). */
  subscribe(onChange: (userId: string | null) => void): void {
    this.subscribers.push(onChange);
  }

  /** Reports a change (a user id, or null for "anything"). */
  changed(userId: string | null): void {
    this.generation++;
    for (const subscriber of this.subscribers) subscriber(userId);
  }

  /** Connects in the background: until the feed is live, every request simply queries. */
  onApplicationBootstrap(): void {
    if (this.config.databaseUrl) void this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    if (this.retry) clearTimeout(this.retry);
    this.live = false;
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.config.databaseUrl, application_name: 'crm-api' });
    let probe: { nonce: string; received: () => void } | null = null;
    client.on('notification', (message) => {
      if (message.channel !== IDENTITY_CHANNEL) return;
      const payload = message.payload ?? '';
      if (payload.startsWith('probe:')) {
        if (probe && payload === `probe:${probe.nonce}`) probe.received();
        return;
      }
      this.changed(payload && payload !== '*' ? payload : null);
    });
    const lost = (error?: Error) => {
      if (this.client !== client) return;
      this.client = null;
      this.down();
      if (error) this.logger.warn(`identity change feed lost: ${error.message}`);
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    let crossConnection: boolean;
    try {
      await client.connect();
      // PGlite (the tests' embedded server behind pglite-socket) never delivers another
      // connection's notifications: give its connection back at once (it has few).
      if (await isEmbeddedDatabase(async (sql) => (await client.query<{ v: string }>(sql)).rows)) {
        this.client = null;
        await client.end().catch(() => undefined);
        return;
      }
      await client.query(`LISTEN ${IDENTITY_CHANNEL}`);
      // Notifications must reach this connection from others (PGlite's do not): probe once.
      const nonce = randomUUID();
      const received = new Promise<boolean>((resolve) => {
        probe = { nonce, received: () => resolve(true) };
        setTimeout(() => resolve(false), PROBE_TIMEOUT_MS).unref();
      });
      const other = new pg.Client({ connectionString: this.config.databaseUrl, application_name: 'crm-api' });
      other.on('error', () => undefined);
      try {
        await other.connect();
        await other.query('SELECT pg_notify($1, $2)', [IDENTITY_CHANNEL, `probe:${nonce}`]);
      } finally {
        await other.end().catch(() => undefined);
      }
      crossConnection = await received;
      probe = null;
    } catch (error) {
      client.end().catch(() => undefined);
      this.logger.warn(`identity change feed unavailable: ${(error as Error).message}`);
      this.scheduleReconnect();
      return;
    }
    if (this.closing || !crossConnection) {
      // Without notifications across connections there is no feed: every request queries.
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    // Anything cached before now may have missed a change: start from nothing.
    this.changed(null);
    this.live = true;
  }

  private down(): void {
    this.live = false;
    this.changed(null);
  }

  private scheduleReconnect(): void {
    if (this.closing || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.connect();
    }, RECONNECT_MS);
    this.retry.unref();
  }
}
