/**
 * Every migration, in order. TypeORM runs them from this list (not a glob) so the same code
 * works compiled (ESM) and under jest (CommonJS). A test checks that no file is missing here.
 * Append new migrations at the end.
 */
import { CreateSchemas1763850000000 } from './1763850000000-CreateSchemas.js';
import { CreateEventsAndScheduling1763870000000 } from './1763870000000-CreateEventsAndScheduling.js';
import { CreateSales1763880000000 } from './1763880000000-CreateSales.js';

export const MIGRATIONS = [CreateSchemas1763850000000, CreateEventsAndScheduling1763870000000, CreateSales1763880000000];
