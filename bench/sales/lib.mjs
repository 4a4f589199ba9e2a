// Shared plumbing of the Sales bench scenarios: arguments, seeding, the bare Fastify+pg
// ceiling (the same SQL with no framework), the rounds of a row and plan checks.
// Each scenario script runs standalone:  node bench/sales/<scenario>.mjs <baseUrl> <token> <databaseUrl>
// (or BENCH_BASE_URL / BENCH_TOKEN / DATABASE_URL), and prints one JSON result line.
import Fastify from 'fastify';
import pg from 'pg';

export function args() {
  const [baseUrl = process.env.BENCH_BASE_URL, token = process.env.BENCH_TOKEN, databaseUrl = process.env.DATABASE_URL] = process.argv.slice(2);
  if (!baseUrl || !token || !databaseUrl) {
    console.error('usage: node bench/sales/<scenario>.mjs <baseUrl> <bearerToken> <databaseUrl>');
    process.exit(2);
  }
  return { baseUrl: baseUrl.replace(/\/$/, ''), token, databaseUrl };
}

export async function connect(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return client;
}

/** The user behind a token (the accounts created are theirs). */
export async function me(baseUrl, token) {
  const res = await fetch(`${baseUrl}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET /auth/me → ${res.status}`);
  return res.json();
}

export const ACCOUNT_ROWS = Number(process.env.BENCH_ACCOUNT_ROWS ?? 1_000_000);

/**
 * Seeds `sales.account` up to ACCOUNT_ROWS bench rows (external id `bench-<n>`), reproducibly:
 * names, types and owners derive from n; 8 owners, the token's user being one of them.
 */
export async function seedAccounts(sql, ownerId) {
  const { rows } = await sql.query(`SELECT count(*)::int AS n FROM sales.account WHERE external_id LIKE 'bench-%'`);
  const have = rows[0].n;
  if (have >= ACCOUNT_ROWS) return;
  const owners = [ownerId, ...Array.from({ length: 7 }, (_, i) => `00000000-0000-7000-8000-00000000000${i + 1}`)];
  for (let start = have + 1; start <= ACCOUNT_ROWS; start += 100_000) {
    const end = Math.min(start + 99_999, ACCOUNT_ROWS);
    await sql.query(
      `INSERT INTO sales.account (id, name, type, lifecycle_stage, flags, owner_id, external_id, custom_fields, name_key, search_text, created_at, updated_at)
       SELECT gen_random_uuid(), 'Bench ' || lpad(g::text, 7, '0'),
              (ARRAY['customer', 'prospect', 'partner', 'competitor'])[1 + g % 4], 'prospect', '{active}',
              ($1::uuid[])[1 + g % 8], 'bench-' || g, '{}', 'bench ' || lpad(g::text, 7, '0'), 'bench ' || lpad(g::text, 7, '0'),
              now() - (g || ' seconds')::interval, now()
         FROM generate_series($2::int, $3::int) g`,
      [owners, start, end],
    );
  }
  await sql.query('ANALYZE sales.account');
}

/** Starts the ceiling: bare Fastify running one SQL statement through pg per request. */
export async function ceiling(databaseUrl, routes) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const app = Fastify({ logger: false });
  for (const route of routes) app.route({ method: route.method ?? 'GET', url: route.url, handler: async (req, reply) => {
    const { rows } = await pool.query(route.sql, route.params(req));
    return reply.code(route.status ?? 200).send(route.many ? { items: rows } : rows[0]);
  } });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: address, async close() { await app.close(); await pool.end(); } };
}

// One autocannon run, and the rounds of an HTTP row (warm-up, then ceiling and app interleaved;
// median ratio with min–max): the runner's (bench/lib/harness.mjs).
export { compare, httpRow, load } from '../lib/harness.mjs';

export const ratio = (a, b) => (b > 0 ? Math.round((a / b) * 100) / 100 : null);

/** The plan of a statement: whether it scans the whole table. */
export async function usesIndex(sql, statement, params) {
  const { rows } = await sql.query(`EXPLAIN (FORMAT JSON) ${statement}`, params);
  const text = JSON.stringify(rows[0]['QUERY PLAN']);
  return { index: /Index (Only )?Scan|Bitmap Index Scan/.test(text), seqScan: /"Seq Scan"/.test(text) };
}

export function report(result) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
