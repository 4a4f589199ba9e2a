import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations/index.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

export interface DatabaseSettings {
  url: string;
  poolSize: number;
  statementTimeoutMs: number;
  logging?: boolean;
  /**
   * pg's pipeline mode on the pooled connections: a statement is written at once even while the
   * connection's previous one has not answered (the transactional adapter sends BEGIN and COMMIT
   * without waiting; everything else still awaits each statement). Only on a PostgreSQL server:
   * the embedded one (pglite-socket) is not given pipelined traffic.
   */
  pipeline?: boolean;
}

/** TypeORM options shared by the app, the migration CLI and the tests. `synchronize` is never on. */
export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    logging: settings.logging ? ['error', 'warn', 'migration'] : false,
    extra: {
      max: settings.poolSize,
      // A stalled checkout fails instead of hanging (the embedded server refuses extra clients).
      connectionTimeoutMillis: 10_000,
      statement_timeout: settings.statementTimeoutMs,
      idle_in_transaction_session_timeout: 60_000,
      application_name: 'crm-api',
      pipeline: settings.pipeline === true,
    },
  };
}
