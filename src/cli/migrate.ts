import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createApp } from '../app.js';
import { loadConfig } from '../platform/config/app-config.js';

/**
 * `npm run migrate` — apply pending migrations to DATABASE_URL (or the embedded database in
 * DATA_DIR) and exit.
 * `npm run migration:generate -- <PascalName>` — compare the entities with the migrated schema
 * and write `migrations/<unix-ms>-<PascalName>.ts` with the SQL TypeORM proposes, appended to
 * migrations/index.ts. Read and edit it by hand before committing.
 */
const [command, name] = process.argv.slice(2);
const config = { ...loadConfig({ ...process.env, WORKERS: 'false', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' }), migrateOnStart: true };

if (command !== 'migrate' && command !== 'generate') {
  console.error('usage: migrate.js migrate | migrate.js generate <PascalName>');
  process.exit(2);
}
if (command === 'generate' && !/^[A-Z][A-Za-z0-9]+$/.test(name ?? '')) {
  console.error('migration:generate needs a PascalCase name, e.g. npm run migration:generate -- AddAccountTier');
  process.exit(2);
}

const running = await createApp(config, { docs: false });
try {
  if (command === 'migrate') {
    console.log('migrations applied');
  } else {
    const sql = await running.app.get(DataSource).driver.createSchemaBuilder().log();
    if (sql.upQueries.length === 0) {
      console.log('the schema already matches the entities: nothing to generate');
    } else {
      const stamp = Date.now();
      const className = `${name}${stamp}`;
      const quote = (q: string) => '`' + q.replace(/`/g, '\\`') + '`';
      const up = sql.upQueries.map((q) => `    await q.query(${quote(q.query)});`).join('\n');
      const down = sql.downQueries.reverse().map((q) => `    await q.query(${quote(q.query)});`).join('\n');
      const file = `${stamp}-${name}.ts`;
      writeFileSync(
        join('migrations', file),
        `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\n/** Generated: read and edit before committing. */\nexport class ${className} implements MigrationInterface {\n  name = '${className}';\n\n  async up(q: QueryRunner): Promise<void> {\n${up}\n  }\n\n  async down(q: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`,
      );
      const indexPath = join('migrations', 'index.ts');
      const index = readFileSync(indexPath, 'utf8')
        .replace(/(\nexport const MIGRATIONS = \[)/, `\nimport { ${className} } from './${file.replace(/\.ts$/, '.js')}';$1`)
        .replace(/\];\s*$/, `, ${className}];\n`);
      writeFileSync(indexPath, index);
      console.log(`wrote migrations/${file}`);
    }
  }
} finally {
  await running.close();
}
