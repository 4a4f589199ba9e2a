import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { ClsModule } from 'nestjs-cls';
import { ClsPluginTransactional, TransactionHost } from '@nestjs-cls/transactional';
import { dataSourceOptions, type DatabaseSettings } from './data-source-options.js';
import { CommitWrites } from './commit-writes.js';
import { ConnectionErrorGuard } from './connection-errors.js';
import { CrmTransactionalAdapter } from './transactional-adapter.js';
import { Tx } from './transaction.js';

/**
 * TypeORM on one PostgreSQL (server or embedded), and the request-scoped transaction that use
 * cases share: `@Transactional()` on a service method opens it, and every repository and the
 * outbox reach it through `TransactionHost` (nestjs-cls), so no EntityManager is threaded
 * through calls. On the embedded server (a pool of one connection) this is also what keeps a
 * use case from waiting on itself: a query sent outside its transaction would queue behind it.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(settings: DatabaseSettings): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRoot({ ...dataSourceOptions(settings), autoLoadEntities: true }),
        ClsModule.forRoot({
          global: true,
          // Each request's store is opened by a Fastify onRequest hook (src/platform/http/request-context.ts).
          middleware: { mount: false },
          plugins: [
            new ClsPluginTransactional({
              imports: [TypeOrmModule],
              adapter: new CrmTransactionalAdapter(getDataSourceToken()),
              enableTransactionProxy: false,
            }),
          ],
        }),
      ],
      providers: [{ provide: Tx, useExisting: TransactionHost }, ConnectionErrorGuard, CommitWrites],
      exports: [Tx, CommitWrites],
    };
  }
}
