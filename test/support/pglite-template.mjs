// The embedded database's initdb template for tests: the same tarball the app's build makes
// (src/platform/database/embedded-postgres.ts, embeddedTemplatePath), in node_modules/.cache.
// Run as a script (jest's global setup does) it writes the template when missing; each test
// file's in-memory PGlite (pglite-server.mjs) then loads it instead of running initdb.
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

export function templatePath() {
  const nodeModules = realpathSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'node_modules'));
  const { version } = JSON.parse(readFileSync(join(nodeModules, '@electric-sql', 'pglite', 'package.json'), 'utf8'));
  return join(nodeModules, '.cache', 'crm-api', `pglite-${version}-initdb.tar`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = templatePath();
  if (!existsSync(path)) {
    const db = await PGlite.create('memory://', { extensions: { pg_trgm } });
    const tarball = await db.dumpDataDir('none');
    await db.close();
    mkdirSync(dirname(path), { recursive: true });
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, Buffer.from(await tarball.arrayBuffer()));
    renameSync(partial, path);
  }
}
