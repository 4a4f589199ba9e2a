// List 50 accounts filtered by type and sorted by name on a 1,000,000-row table vs the same SQL
// through bare Fastify+pg; the plan must use an index (no seq scan).
// Target (QUALITY.md): req/s ≥ 0.50 × ceiling; plan uses an index.
import { args, ceiling, connect, load, me, ratio, report, seedAccounts, usesIndex } from './lib.mjs';

/** The statement the API runs for `?type=customer&sort=name&limit=50` with scope `all` (keyset: one row more). */
export const LIST_SQL = `SELECT * FROM sales.account a WHERE a.type = $1 ORDER BY a.name ASC, a.id ASC LIMIT 51`;

export async function listAccounts({ baseUrl, token, databaseUrl, duration }) {
  const sql = await connect(databaseUrl);
  try {
    const user = await me(baseUrl, token);
    await seedAccounts(sql, user.id);
    const plan = await usesIndex(sql, LIST_SQL, ['customer']);
    const bare = await ceiling(databaseUrl, [{ url: '/accounts', sql: LIST_SQL, params: (req) => [req.query.type], many: true }]);
    try {
      const c = await load({ url: `${bare.url}/accounts?type=customer`, duration });
      const a = await load({ url: `${baseUrl}/api/v1/sales/accounts?type=customer&sort=name&limit=50`, headers: { authorization: `Bearer ${token}` }, duration });
      const rpsRatio = ratio(a.rps, c.rps);
      return { name: 'sales: list 50 accounts (type filter, name sort) of 1,000,000', app: a, ceiling: c, rpsRatio, plan, target: { minRatio: 0.5, index: true }, pass: rpsRatio >= 0.5 && plan.index && !plan.seqScan && a.non2xx === 0 };
    } finally {
      await bare.close();
    }
  } finally {
    await sql.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) report(await listAccounts(args()));
