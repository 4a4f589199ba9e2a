import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createApp } from '../app.js';
import { loadConfig } from '../platform/config/app-config.js';
import { checkDeclarations, loadDeclaredEvents, renderEventCatalog } from '../platform/events/event-catalog.js';
import { EventConsumers } from '../platform/events/event-consumers.js';

/**
 * `npm run events:catalog`: boots the app without workers (on a throw-away in-memory database
 * unless DATABASE_URL is set) to discover the consumers, reads the contexts' declarations, and
 * writes docs/events.md.
 */
const contextsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'contexts');
const declared = await loadDeclaredEvents(contextsDir, '.js', (file) => import(pathToFileURL(file).href) as Promise<Record<string, unknown>>);
const problems = checkDeclarations(declared);
if (problems.length) {
  console.error(`Event declarations are invalid:\n  - ${problems.join('\n  - ')}`);
  process.exit(1);
}
const config = { ...loadConfig({ ...process.env, LOG_LEVEL: 'error', WORKERS: 'false' }), dataDir: process.env.DATABASE_URL ? './data' : 'memory://' };
const running = await createApp(config, { docs: false });
try {
  mkdirSync('docs', { recursive: true });
  writeFileSync('docs/events.md', renderEventCatalog(declared, running.app.get(EventConsumers).all()));
  console.log(`wrote docs/events.md (${declared.length} events, ${running.app.get(EventConsumers).all().length} consumers)`);
} finally {
  await running.close();
}
