import { ensureEmbeddedTemplate } from '../platform/database/embedded-postgres.js';

/**
 * Runs after `npm run build` (`postbuild`): makes the embedded database's initdb template once
 * per install, so that a fresh DATA_DIR starts in about a second instead of running initdb
 * (see embeddedTemplatePath). Does nothing when the template exists.
 */
const started = performance.now();
const { path, created } = await ensureEmbeddedTemplate();
if (created) console.log(`embedded PostgreSQL template written to ${path} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
