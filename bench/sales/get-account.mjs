// GET one account by id (auth, data scope, ETag, serialization) vs bare Fastify+pg by id.
// Target (QUALITY.md): req/s ≥ 0.50 × ceiling; p99 ≤ 3 × ceiling p99 (on the medians of the rounds).
import { args, ceiling, compare, connect, httpRow, load, me, report, seedAccounts } from './lib.mjs';

export async function getAccount({ baseUrl, token, databaseUrl }) {
  const sql = await connect(databaseUrl);
  try {
    const user = await me(baseUrl, token);
    await seedAccounts(sql, user.id);
    const { rows } = await sql.query(`SELECT id FROM sales.account WHERE owner_id = $1 AND external_id LIKE 'bench-%' LIMIT 1`, [user.id]);
    const id = rows[0].id;
    const bare = await ceiling(databaseUrl, [{ url: '/accounts/:id', sql: 'SELECT * FROM sales.account WHERE id = $1', params: (req) => [req.params.id] }]);
    try {
      const comparison = await compare({
        ceiling: (duration) => load({ url: `${bare.url}/accounts/${id}`, duration }),
        app: (duration) => load({ url: `${baseUrl}/api/v1/sales/accounts/${id}`, headers: { authorization: `Bearer ${token}` }, duration }),
      });
      return httpRow({ name: 'sales: GET account by id', target: { minRatio: 0.5, maxP99Ratio: 3 }, comparison });
    } finally {
      await bare.close();
    }
  } finally {
    await sql.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) report(await getAccount(args()));
