import 'reflect-metadata';
import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ClsService } from 'nestjs-cls';
import { Logger, PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { AppModule } from './app.module.js';
import { startupWarnings, type AppConfig } from './platform/config/app-config.js';
import { DataSource } from 'typeorm';
import { dataSourceOptions, type DatabaseSettings } from './platform/database/data-source-options.js';
import { EMBEDDED_POOL_SIZE, startEmbeddedPostgres, type EmbeddedPostgres } from './platform/database/embedded-postgres.js';
import { acceptCsvBodies } from './platform/http/csv-body.js';
import { CrmFastifyAdapter } from './platform/http/etag.js';
import { clientErrorHandler, frameworkErrors, jsonBodyParser, refuseUnsafeText, trustProxyOption } from './platform/http/input-guards.js';
import { buildOpenApiDocument, serveOpenApi } from './platform/http/openapi.js';
import { mountRequestContext } from './platform/http/request-context.js';

export interface RunningApp {
  app: NestFastifyApplication;
  config: AppConfig;
  databaseUrl: string;
  embedded: boolean;
  close(): Promise<void>;
}

export interface CreateAppOptions {
  /** Modules added for tests only (never in the product). */
  extraModules?: Type[];
  /** Serve Swagger UI at /docs (default true). */
  docs?: boolean;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Boots the whole API: database (server from DATABASE_URL, else embedded PGlite under
 * DATA_DIR), migrations, Nest on Fastify with the platform's HTTP conventions.
 * Used by `main.ts`, the OpenAPI generator, the bench and every e2e test.
 */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<RunningApp> {
  let embedded: EmbeddedPostgres | undefined;
  const databaseUrl = config.databaseUrl ?? (embedded = await startEmbeddedPostgres(config.dataDir)).url;
  const settings: DatabaseSettings = {
    url: databaseUrl,
    poolSize: embedded ? EMBEDDED_POOL_SIZE : config.dbPoolSize,
    statementTimeoutMs: config.statementTimeoutMs,
    pipeline: !embedded,
  };
  if (config.migrateOnStart || embedded) await runMigrations(settings);

  const adapter = new CrmFastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    // Path parameters up to this length reach validation (400 naming the parameter); longer
    // ones answer 414 problem+json (frameworkErrors).
    routerOptions: { maxParamLength: 2048 },
    // X-Forwarded-For is believed only from the configured proxies (TRUST_PROXY); `request.ip`
    // is then the one client address rate limits and the audit log use.
    trustProxy: trustProxyOption(config.trustProxy),
    clientErrorHandler,
    frameworkErrors,
    genReqId: (req: import('node:http').IncomingMessage) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      req.headers['x-request-id'] = id;
      return id;
    },
  });
  let app: NestFastifyApplication;
  try {
    app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, settings, options.extraModules), adapter, {
      bufferLogs: true,
      abortOnError: false,
    });
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  app.useLogger(app.get(Logger));
  for (const warning of startupWarnings(config)) app.get(Logger).warn(warning, 'Config');
  dropPassThroughEnhancers(app);
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance();
  app.useBodyParser('application/json', { bodyLimit: config.bodyLimitBytes }, jsonBodyParser(fastify));
  acceptCsvBodies(fastify);
  refuseUnsafeText(fastify);
  mountRequestContext(fastify, app.get(ClsService), (await app.resolve(PinoLogger)).logger, {
    logRequests: config.logLevel === 'debug' || config.logLevel === 'trace',
  });
  await app.init();
  if (options.docs !== false) serveOpenApi(app, buildOpenApiDocument(app));
  await fastify.ready();

  return {
    app,
    config,
    databaseUrl,
    embedded: !!embedded,
    async close() {
      await app.close();
      await embedded?.stop();
    },
  };
}

/**
 * nestjs-cls registers a global guard and interceptor even when they are not mounted (here the
 * CLS store is opened by a Fastify hook): a guard that always passes and an interceptor that
 * only calls the handler. A global interceptor makes Nest run every request through an RxJS
 * pipeline, so both are taken out of Nest's global enhancers before the routes are built.
 * This API has no other global interceptor; its own guards are class instances.
 */
function dropPassThroughEnhancers(app: NestFastifyApplication): void {
  const config = (app as unknown as { config?: Partial<Record<'globalInterceptors' | 'globalGuards', object[]>> }).config;
  const isPlainObject = (enhancer: object) => Object.getPrototypeOf(enhancer) === Object.prototype;
  if (Array.isArray(config?.globalInterceptors)) config.globalInterceptors = config.globalInterceptors.filter((i) => !isPlainObject(i));
  if (Array.isArray(config?.globalGuards)) config.globalGuards = config.globalGuards.filter((g) => !isPlainObject(g));
}

async function runMigrations(settings: DatabaseSettings): Promise<void> {
  const dataSource = new DataSource({ ...dataSourceOptions({ ...settings, poolSize: 1 }), entities: [] });
  await dataSource.initialize();
  try {
    // Replicas starting together migrate one at a time: the pool has a single connection, so
    // this session lock is held by the connection the migrations then run on.
    await dataSource.query('SELECT pg_advisory_lock(7266001)');
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await dataSource.query('SELECT pg_advisory_unlock(7266001)');
    }
  } finally {
    await dataSource.destroy();
  }
}
