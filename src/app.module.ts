import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from './platform/config/app-config.js';
import { ConfigModule } from './platform/config/config.module.js';
import { DatabaseModule } from './platform/database/database.module.js';
import type { DatabaseSettings } from './platform/database/data-source-options.js';
import { ProblemFilter } from './platform/http/problem.filter.js';
import { createValidationPipe } from './platform/http/validation.js';
import { requestLogBindings } from './platform/http/request-context.js';
import { AuditModule } from './platform/audit/audit.module.js';
import { AccessGuard } from './platform/identity/application/access.guard.js';
import { IdentityModule } from './platform/identity/identity.module.js';
import { EventsModule } from './platform/events/events.module.js';
import { ObservabilityModule } from './platform/observability/observability.module.js';
import { SchedulingModule } from './platform/scheduling/scheduling.module.js';
import { AnalyticsModule } from './contexts/analytics/analytics.module.js';
import { CallCenterModule } from './contexts/call-center/call-center.module.js';
import { FinanceModule } from './contexts/finance/finance.module.js';
import { MarketingModule } from './contexts/marketing/marketing.module.js';
import { SalesModule } from './contexts/sales/sales.module.js';
import { ServiceModule } from './contexts/service/service.module.js';
import { WorkflowModule } from './contexts/workflow/workflow.module.js';

export const CONTEXT_MODULES = [
  SalesModule,
  MarketingModule,
  ServiceModule,
  CallCenterModule,
  AnalyticsModule,
  FinanceModule,
  WorkflowModule,
];

/** The whole application: the shared kernel (platform) and every bounded context. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, database: DatabaseSettings, extraModules: Type[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
            // Request bindings (`req`, `service`) per log line, from the request's CLS store.
            mixin: requestLogBindings,
          },
          // No middleware: the request's context is opened by a Fastify hook
          // (src/platform/http/request-context.ts), which also does pino-http's autoLogging.
          forRoutes: [],
        }),
        DatabaseModule.forRoot(database),
        EventEmitterModule.forRoot({ wildcard: true, delimiter: '.' }),
        ScheduleModule.forRoot(),
        ObservabilityModule,
        SchedulingModule,
        EventsModule,
        IdentityModule,
        AuditModule,
        ...CONTEXT_MODULES,
        ...extraModules,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_GUARD, useClass: AccessGuard },
        // No global interceptors (each would put every request through an RxJS pipeline): the
        // Idempotency-Key interceptor is bound by `@Endpoint({ idempotent: true })`, and ETags
        // are set by the HTTP adapter (CrmFastifyAdapter).
      ],
    };
  }
}
