import type { Type } from '@nestjs/common';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { createApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/platform/config/app-config';
import { createTestDatabase, type TestDatabase } from './database';

export interface TestApp {
  running: RunningApp;
  db: TestDatabase;
  /** supertest agent bound to the app (no network listener). */
  http: TestAgent;
  dataSource: DataSource;
  /** Raw SQL on the app's database (assert rows, arrange data). */
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  get<T>(token: Type<T> | (abstract new (...args: never[]) => T) | string | symbol): T;
  close(): Promise<void>;
}

export interface TestAppOptions {
  extraModules?: Type[];
  env?: Record<string, string>;
}

export const TEST_ADMIN = { email: 'admin@example.com', password: 'admin-change-me' };

/** Boots the whole app on a fresh database. One per test file: `beforeAll(() => app = await startTestApp())`. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: db.url,
    DB_POOL_SIZE: String(db.poolSize ?? 10),
    ADMIN_EMAIL: TEST_ADMIN.email,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    ...options.env,
  });
  let running: RunningApp;
  try {
    running = await createApp(config, { extraModules: options.extraModules, docs: false });
  } catch (error) {
    await db.drop();
    throw error;
  }
  const dataSource = running.app.get(DataSource);
  return {
    running,
    db,
    http: request(running.app.getHttpServer()),
    dataSource,
    sql: (query, params) => dataSource.query(query, params),
    get: (token) => running.app.get(token as never),
    async close() {
      await running.close();
      await db.drop();
    },
  };
}

/** Polls `check` until it stops throwing (asynchronous effects such as event handlers). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 10_000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

/** Asserts a response is RFC 9457 problem+json with the given status (and code). */
export function expectProblem(res: { status: number; headers: Record<string, string>; body: Record<string, unknown> }, status: number, code?: string) {
  expect({ status: res.status, type: res.headers['content-type'] }).toEqual({
    status,
    type: expect.stringContaining('application/problem+json'),
  });
  expect(res.body).toMatchObject({ status, title: expect.any(String), type: expect.any(String), detail: expect.any(String) });
  if (code) expect(res.body.code).toBe(code);
  expect(JSON.stringify(res.body)).not.toMatch(/\bat .+\.(ts|js):\d+|node_modules|SELECT |INSERT |UPDATE /);
}
