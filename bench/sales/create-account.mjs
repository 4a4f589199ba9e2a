// POST an account (validation, duplicate check, audit, outbox event, idempotency key) vs a
// single INSERT through bare Fastify+pg. Target (QUALITY.md): req/s ≥ 0.25 × ceiling.
import { randomUUID } from 'node:crypto';
import { args, ceiling, load, ratio, report } from './lib.mjs';

export async function createAccount({ baseUrl, token, databaseUrl, duration }) {
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
    const c = await load({ url: `${bare.url}/accounts`, method: 'POST', body, duration });
    // A fresh Idempotency-Key per request, as a real client sends.
    const a = await load({
      url: `${baseUrl}/api/v1/sales/accounts`,
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body,
      duration,
      setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'idempotency-key': randomUUID() } }),
    });
    const rpsRatio = ratio(a.rps, c.rps);
    return { name: 'sales: POST account', app: a, ceiling: c, rpsRatio, target: { minRatio: 0.25 }, pass: rpsRatio >= 0.25 && a.non2xx === 0 };
  } finally {
    await bare.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) report(await createAccount(args()));
