// Sales rows of `npm run bench`: runs the standalone scenarios of bench/sales/ against the
// bench's API with the bootstrap admin's token (scope all) and the bench database.
import { createAccount } from '../sales/create-account.mjs';
import { getAccount } from '../sales/get-account.mjs';
import { leadClaimRace } from '../sales/lead-claim-race.mjs';
import { listAccounts } from '../sales/list-accounts.mjs';
import { withLoad } from '../lib/stats.mjs';

export async function scenarios(ctx) {
  const login = await fetch(`${ctx.apiUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ctx.adminEmail, password: ctx.adminPassword }),
  });
  if (!login.ok) throw new Error(`bench login → ${login.status}`);
  const { accessToken } = await login.json();
  const options = { baseUrl: ctx.apiUrl, token: accessToken, databaseUrl: ctx.sql.connectionParameters ? connectionString(ctx.sql) : process.env.DATABASE_URL };
  for (const scenario of [getAccount, listAccounts, createAccount, leadClaimRace]) {
    // HTTP rows sample the load average over their measured rounds; the race over its run.
    const { result: row, loadAverage1m } = await withLoad(() => scenario(options));
    row.kind ??= 'check';
    row.loadAverage1m ??= loadAverage1m;
    ctx.rows.push(row);
    console.error(`  ${row.name}: ${row.summary}${row.pass ? '' : ' — FAIL'}`);
  }
}

function connectionString(client) {
  const p = client.connectionParameters;
  return `postgres://${encodeURIComponent(p.user)}${p.password ? `:${encodeURIComponent(p.password)}` : ''}@${p.host}:${p.port}/${p.database}`;
}
