import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';

export interface TestDatabase {
  url: string;
  /** true on a real PostgreSQL server (DATABASE_URL), false on embedded PGlite. */
  real: boolean;
  /** The embedded server accepts this many connections; a real one: undefined. */
  maxConnections?: number;
  /** Pool size the app should use on it (1 on the embedded server, see EMBEDDED_POOL_SIZE). */
  poolSize?: number;
  drop(): Promise<void>;
}

export const hasRealPostgres = () => !!process.env.DATABASE_URL;

/**
 * A fresh, empty database for one test file: a new database on the server of DATABASE_URL
 * (name `test_<random>`, dropped at the end), or else a new in-memory PGlite in a child process.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      real: true,
      async drop() {
        const client = new Client({ connectionString: serverUrl });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const maxConnections = 8;
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'pglite-server.mjs')], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, PGLITE_MAX_CONNECTIONS: String(maxConnections) },
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited with ${code}`)));
  });
  return {
    url,
    real: false,
    maxConnections,
    poolSize: 1,
    async drop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin?.end();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 3000)))]);
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
