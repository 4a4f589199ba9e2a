import { Client, Pool } from 'pg';
import { createTestDatabase, hasRealPostgres, type TestDatabase } from '../support/database';

/**
 * How many connections the embedded server (pglite-socket) serves: the pool is sized to
 * EMBEDDED_MAX_CONNECTIONS (8) because a client beyond `maxConnections` is cut off.
 */
const describeEmbedded = hasRealPostgres() ? describe.skip : describe;

describeEmbedded('embedded PostgreSQL connection limit', () => {
  let db: TestDatabase;
  const clients: Client[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await db.drop();
  });

  it('serves exactly maxConnections (8) clients at once and refuses the next', async () => {
    for (let i = 0; i < 8; i++) {
      const client = new Client({ connectionString: db.url, connectionTimeoutMillis: 3000 });
      client.on('error', () => undefined);
      await client.connect();
      clients.push(client);
    }
    const answers = await Promise.all(clients.map((c) => c.query('SELECT 1 AS one')));
    expect(answers.map((a) => a.rows[0].one)).toEqual(Array(8).fill(1));

    const ninth = new Client({ connectionString: db.url, connectionTimeoutMillis: 3000 });
    ninth.on('error', () => undefined);
    clients.push(ninth);
    await expect(ninth.connect().then(() => ninth.query('SELECT 1'))).rejects.toThrow();
  });

  it('serves 8 concurrent workers of parameterised queries and transactions through the app’s pool of one', async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    clients.length = 0;
    const pool = new Pool({ connectionString: db.url, max: 1 });
    const failures: string[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        for (let i = 0; i < 100; i++) {
          try {
            const { rows } = await pool.query('SELECT $1::int + $2::int AS sum', [i, worker]);
            if (rows[0].sum !== i + worker) failures.push(`wrong sum ${rows[0].sum}`);
            if (i % 25 === 0) {
              const client = await pool.connect();
              try {
                await client.query('BEGIN');
                await client.query('SELECT $1::text AS t', [`w${worker}`]);
                await client.query('COMMIT');
              } finally {
                client.release();
              }
            }
          } catch (error) {
            failures.push((error as Error).message);
          }
        }
      }),
    );
    await pool.end();
    expect(failures).toEqual([]);
  });
});
