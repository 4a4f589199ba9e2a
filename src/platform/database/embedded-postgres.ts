import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

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
  let fresh = true;
  if (!dataDir.startsWith('memory://')) {
    location = resolve(dataDir, 'pg');
    mkdirSync(location, { recursive: true });
    fresh = readdirSync(location).length === 0;
  }
  const template = fresh ? embeddedTemplatePath() : null;
  const loadDataDir = template && existsSync(template) ? new Blob([readFileSync(template)]) : undefined;
  const db = await PGlite.create(location, { extensions: { pg_trgm }, loadDataDir });
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

/**
 * A new PGlite data directory is made by running initdb inside WebAssembly: seconds of CPU, most
 * of a fresh start. The build (`postbuild`: src/cli/embedded-template.ts) does it once per install
 * and keeps the result as a tarball in node_modules/.cache, named after the PGlite version; an
 * empty DATA_DIR then starts from a copy of it (PGlite `loadDataDir`) instead of initdb.
 * Found from the working directory up (the app runs from the project root); null when PGlite's
 * package is not found that way, and then a fresh directory simply runs initdb.
 */
export function embeddedTemplatePath(): string | null {
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    const packageJson = join(dir, 'node_modules', '@electric-sql', 'pglite', 'package.json');
    if (existsSync(packageJson)) {
      const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
      return join(realpathSync(join(dir, 'node_modules')), '.cache', 'crm-api', `pglite-${version}-initdb.tar`);
    }
    if (dirname(dir) === dir) return null;
  }
}

/** Writes the initdb template if it is missing (atomically: a half-written file is never used). */
export async function ensureEmbeddedTemplate(): Promise<{ path: string | null; created: boolean }> {
  const path = embeddedTemplatePath();
  if (!path || existsSync(path)) return { path, created: false };
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const db = await PGlite.create('memory://', { extensions: { pg_trgm } });
  try {
    const tarball = await db.dumpDataDir('none');
    mkdirSync(dirname(path), { recursive: true });
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, Buffer.from(await tarball.arrayBuffer()));
    renameSync(partial, path);
  } finally {
    await db.close();
  }
  return { path, created: true };
}
