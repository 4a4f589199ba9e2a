import { TransactionHost } from '@nestjs-cls/transactional';
import type { CrmTransactionalAdapter } from './transactional-adapter.js';

export { Transactional } from '@nestjs-cls/transactional';

/**
 * The host of the current use case's transaction. `txHost.tx` is the EntityManager of the
 * open transaction (or a plain one outside a transaction). Inject it as `Tx` (an alias
 * provider of nestjs-cls' TransactionHost, typed for TypeORM through CrmTransactionalAdapter).
 */
export class Tx extends TransactionHost<CrmTransactionalAdapter> {}
