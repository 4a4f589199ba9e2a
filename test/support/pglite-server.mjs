// A fresh in-memory embedded PostgreSQL for one test file, in its own process: PGlite cannot
// start inside a jest worker (it needs dynamic import callbacks). Prints `{"url": …}` once
// ready; exits when its parent closes stdin (or dies). Starts from the initdb template that
// jest's global setup makes (pglite-template.mjs) when it is there.
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { existsSync, readFileSync } from 'node:fs';
import { templatePath } from './pglite-template.mjs';

const maxConnections = Number(process.env.PGLITE_MAX_CONNECTIONS ?? 8);
const template = templatePath();
const loadDataDir = existsSync(template) ? new Blob([readFileSync(template)]) : undefined;
const db = await PGlite.create('memory://', { extensions: { pg_trgm }, loadDataDir });
const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
await server.start();
process.stdout.write(`${JSON.stringify({ url: `postgres://postgres:postgres@${server.getServerConn()}/postgres?sslmode=disable` })}\n`);
const stop = async () => {
  await server.stop().catch(() => {});
  await db.close().catch(() => {});
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
