import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';

interface PgPoolLike {
  on(event: 'connect', listener: (client: { on(event: 'error', listener: (error: Error) => void): void }) => void): void;
}

/**
 * Keeps a lost database connection from crashing the process. When PostgreSQL terminates a
 * backend (restart, failover, `pg_terminate_backend`), the `pg` client of that connection emits
 * `error`; if that happens while the client is between owners (just released with an error and
 * being discarded by the pool), nobody listens and Node treats it as an uncaught exception.
 * Every client the pool opens gets a listener that only logs: queries in flight still fail (and
 * answer 503), the pool replaces the connection, and the app carries on.
 */
@Injectable()
export class ConnectionErrorGuard implements OnModuleInit {
  private readonly logger = new Logger('Database');

  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    const pool = (this.dataSource.driver as unknown as { master?: PgPoolLike }).master;
    pool?.on('connect', (client) => client.on('error', (error) => this.logger.warn(`database connection lost: ${error.message}`)));
  }
}
