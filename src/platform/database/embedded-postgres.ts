import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Connections the embedded server accepts (pglite-socket cuts off clients beyond it).
 */
export const EMBEDDED_MAX_CONNECTIONS = 8;

/**
 * Connections the app's pool opens to the embedded server: one. PGlite runs a single backend
 * and pglite-socket feeds it the messages of all its clients without keeping one client's
 * extended-protocol sequence (Parse/Bind/Execute/Sync) together, so two clients' unnamed
 * statements and portals collide ("portal \"\" does not exist") — measured with 8 clients
 * running parameterised queries at once; with one connection there are none. Transactions run
 * one after another on PGlite anyway, so one connection costs no throughput; every query of a
 * use case goes through its transaction, so nothing waits for a second connection.
 */
export const EMBEDDED_POOL_SIZE = 1;

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
