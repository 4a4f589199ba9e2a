import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Connections the embedded server accepts. PGlite runs one backend: connections share it and
 * transactions run one after another, so more connections add no throughput — but the pool
 * needs a few so that a request waiting on a transaction does not block the dispatcher's
 * connection checkout. pglite-socket cuts off clients beyond `maxConnections`, so the pool is
 * sized to exactly this (see README "Embedded database").
 */
export const EMBEDDED_MAX_CONNECTIONS = 8;

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite (PostgreSQL compiled to WASM) persisted in `dataDir` (or in memory for
 * `memory://`) and serves it over the Postgres wire protocol on 127.0.0.1, so the ordinary
 * `pg` driver and TypeORM talk to it exactly as to a server.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  let location = dataDir;
  if (!dataDir.startsWith('memory://')) {
    location = resolve(dataDir, 'pg');
    mkdirSync(location, { recursive: true });
  }
  const db = await PGlite.create(location, { extensions: { pg_trgm } });
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: 0,
    maxConnections: EMBEDDED_MAX_CONNECTIONS,
  });
  await server.start();
  return {
    url: `postgres://postgres:postgres@${server.getServerConn()}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
