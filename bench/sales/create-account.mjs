// POST an account (validation, duplicate check, audit, outbox event, idempotency key) vs a
// single INSERT through bare Fastify+pg. Target (QUALITY.md): req/s ≥ 0.25 × ceiling (median of
// the rounds). Both sides insert into sales.account, so the table (and its indexes) grows from
// round to round: the round order alternates, and each round records the table's row count.
import { randomUUID } from 'node:crypto';
import { args, ceiling, compare, connect, httpRow, load, report } from './lib.mjs';

export async function createAccount({ baseUrl, token, databaseUrl }) {
  const sql = await connect(databaseUrl);
  const bare = await ceiling(databaseUrl, [{
    method: 'POST',
    url: '/accounts',
    status: 201,
    sql: `INSERT INTO sales.account (id, name, type, lifecycle_stage, flags, owner_id, custom_fields, name_key, search_text)
          VALUES (gen_random_uuid(), $1, 'prospect', 'suspect', '{active}', gen_random_uuid(), '{}', lower($1), lower($1)) RETURNING *`,
    params: (req) => [req.body.name],
  }]);
  try {
    const body = { name: 'Bench create', type: 'prospect', force: true };
    const comparison = await compare({
      ceiling: (duration) => load({ url: `${bare.url}/accounts`, method: 'POST', body, duration }),
      // A fresh Idempotency-Key per request, as a real client sends.
      app: (duration) => load({
        url: `${baseUrl}/api/v1/sales/accounts`,
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body,
        duration,
        setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'idempotency-key': randomUUID() } }),
      }),
      beforeRound: async () => ({ accountRows: (await sql.query('SELECT count(*)::int AS n FROM sales.account')).rows[0].n }),
    });
    const sizes = comparison.rounds.map((r) => r.facts.accountRows);
    return httpRow({
      name: 'sales: POST account',
      target: { minRatio: 0.25 },
      comparison,
      note: sizes.length > 1 ? `table ${sizes[0]} → ${sizes[sizes.length - 1]} rows over the rounds` : `table ${sizes[0]} rows`,
    });
  } finally {
    await bare.close();
    await sql.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) report(await createAccount(args()));
