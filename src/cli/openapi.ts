import { mkdirSync, writeFileSync } from 'node:fs';
import { createApp } from '../app.js';
import { loadConfig } from '../platform/config/app-config.js';
import { buildOpenApiDocument } from '../platform/http/openapi.js';

/**
 * `npm run openapi`: boots the app without listening (on a throw-away in-memory database
 * unless DATABASE_URL is set) and writes openapi/openapi.json.
 */
const config = { ...loadConfig({ ...process.env, LOG_LEVEL: 'error', WORKERS: 'false' }), dataDir: process.env.DATABASE_URL ? './data' : 'memory://' };
const running = await createApp(config, { docs: false });
try {
  mkdirSync('openapi', { recursive: true });
  writeFileSync('openapi/openapi.json', `${JSON.stringify(buildOpenApiDocument(running.app), null, 2)}\n`);
  console.log('wrote openapi/openapi.json');
} finally {
  await running.close();
}
