import { ConventionsTestModule, WIDGETS_DDL } from '../support/conventions.module';
import { hasRealPostgres } from '../support/database';
import { expectProblem, startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ extraModules: [ConventionsTestModule], env: { BODY_LIMIT_BYTES: '4096' } });
  await app.sql(WIDGETS_DDL);
});
afterAll(() => app?.close());

const widget = (over: Record<string, unknown> = {}) => ({ name: 'w', quantity: 1, color: 'red', ...over });

describe('errors are RFC 9457 problem+json', () => {
  it('lists every invalid field, nested and array items included', async () => {
    const res = await app.http.post('/test/widgets').send({ name: 5, quantity: -1, color: 'green', tags: ['a', 2], size: { width: 0 } });
    expectProblem(res, 400, 'validation-failed');
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
    expect(new Set(fields)).toEqual(new Set(['name', 'quantity', 'color', 'tags', 'size.width', 'size.height']));
  });

  it('refuses unknown fields (no mass assignment) and persists nothing', async () => {
    const res = await app.http.post('/test/widgets').send(widget({ version: 7, ownerId: 'x' }));
    expectProblem(res, 400, 'validation-failed');
    expect((res.body.errors as { field: string; message: string }[]).map((e) => e.field).sort()).toEqual(['ownerId', 'version']);
    expect(await app.sql(`SELECT count(*)::int AS n FROM conventions_test.widget WHERE quantity = 1 AND name = 'w'`)).toEqual([{ n: 0 }]);
  });

  it('answers 404 problem+json on unknown routes and on missing records', async () => {
    expectProblem(await app.http.get('/api/v1/nowhere'), 404);
    expectProblem(await app.http.get('/test/widgets/0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d'), 404, 'not-found');
  });

  it('answers 400 on a malformed path id and on malformed JSON', async () => {
    expectProblem(await app.http.get('/test/widgets/not-a-uuid'), 400);
    expectProblem(await app.http.post('/test/widgets').set('content-type', 'application/json').send('{"name":'), 400);
  });

  it('refuses arrays over their maximum with 400', async () => {
    const res = await app.http.post('/test/widgets').send(widget({ tags: ['a', 'b', 'c', 'd'] }));
    expectProblem(res, 400, 'validation-failed');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'tags' })]);
  });

  // pglite-socket ignores connection start-up parameters, and single-threaded PGlite cannot
  // interrupt a running statement anyway: the timeout is a server-side guarantee.
  (hasRealPostgres() ? it : it.skip)('runs every query under a statement_timeout (real PostgreSQL)', async () => {
    const [{ statement_timeout }] = await app.sql<{ statement_timeout: string }>('SHOW statement_timeout');
    expect(statement_timeout).toBe('30s');
  });

  it('answers 413 on oversized bodies', async () => {
    expectProblem(await app.http.post('/test/widgets').send(widget({ name: 'x'.repeat(10_000) })), 413, 'payload-too-large');
  });

  it('hides unexpected errors behind a 500 with the request id, no stack and no SQL', async () => {
    const res = await app.http.get('/test/widgets/boom').set('x-request-id', 'req-boom-1');
    expectProblem(res, 500, 'internal-error');
    expect(res.body.requestId).toBe('req-boom-1');
    expect(JSON.stringify(res.body)).not.toContain('no_such_table_secret');
  });

  it('echoes the caller’s request id, or makes one', async () => {
    expect((await app.http.get('/health/live').set('x-request-id', 'abc-123')).headers['x-request-id']).toBe('abc-123');
    expect((await app.http.get('/health/live')).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('closes a route that declares no permission (deny by default)', async () => {
    expectProblem(await app.http.get('/test/closed'), 403, 'route-without-permission');
  });
});

describe('keyset pagination', () => {
  beforeAll(async () => {
    for (let i = 0; i < 120; i++) {
      await app.http.post('/test/widgets').send(widget({ name: `p${String(i).padStart(3, '0')}`, quantity: i % 7, color: i % 3 ? 'blue' : 'red' })).expect(201);
    }
  });

  it('walks every record exactly once, in order, with the default page size of 50', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: { items: { name: string }[]; nextCursor: string | null } } = await app.http
        .get('/test/widgets')
        .query({ sort: 'name', ...(cursor ? { cursor } : {}) })
        .expect(200);
      pages++;
      seen.push(...res.body.items.map((w) => w.name));
      cursor = res.body.nextCursor;
    } while (cursor);
    const expected = Array.from({ length: 120 }, (_, i) => `p${String(i).padStart(3, '0')}`);
    expect(seen.filter((n) => n.startsWith('p'))).toEqual(expected);
    expect(pages).toBe(3);
  });

  it('keeps ties stable on a non-unique sort key, descending', async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string; quantity: number }[]; nextCursor: string | null } } = await app.http
        .get('/test/widgets')
        .query({ sort: '-quantity', limit: 7, ...(cursor ? { cursor } : {}) });
      ids.push(...res.body.items.map((w) => w.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(ids.length).toBe(120);
    expect(new Set(ids).size).toBe(120);
  });

  it('combines filters with paging and clamps the page size to 500', async () => {
    const res = await app.http.get('/test/widgets').query({ color: 'red', limit: 1000 }).expect(200);
    expect(res.body.items).toHaveLength(40);
    expect(res.body.items.every((w: { color: string }) => w.color === 'red')).toBe(true);
    expect(res.body.nextCursor).toBeNull();
  });

  it('refuses bad paging parameters with 400', async () => {
    expectProblem(await app.http.get('/test/widgets').query({ limit: 0 }), 400);
    expectProblem(await app.http.get('/test/widgets').query({ sort: 'secret' }), 400);
    expectProblem(await app.http.get('/test/widgets').query({ cursor: 'garbage' }), 400);
    const first = await app.http.get('/test/widgets').query({ sort: 'name', limit: 2 });
    expectProblem(await app.http.get('/test/widgets').query({ sort: 'quantity', cursor: first.body.nextCursor }), 400);
  });

  it('returns only records changed since updatedSince (delta sync)', async () => {
    const cut = new Date(Date.now() + 5).toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await app.http.post('/test/widgets').send(widget({ name: 'late' })).expect(201);
    const res = await app.http.get('/test/widgets').query({ updatedSince: cut }).expect(200);
    expect(res.body.items.map((w: { name: string }) => w.name)).toEqual(['late']);
  });
});

describe('ETag and If-Match', () => {
  let id: string;
  beforeAll(async () => {
    id = (await app.http.post('/test/widgets').send(widget({ name: 'etag' })).expect(201)).body.id;
  });

  it('returns an ETag and answers If-None-Match with 304', async () => {
    const res = await app.http.get(`/test/widgets/${id}`).expect(200);
    expect(res.headers.etag).toBe('"1"');
    await app.http.get(`/test/widgets/${id}`).set('if-none-match', '"1"').expect(304);
  });

  it('applies a PATCH with the current version and refuses a stale one with 412', async () => {
    const ok = await app.http.patch(`/test/widgets/${id}`).set('if-match', '"1"').send({ quantity: 5 }).expect(200);
    expect(ok.headers.etag).toBe('"2"');
    const stale = await app.http.patch(`/test/widgets/${id}`).set('if-match', '"1"').send({ quantity: 9 });
    expectProblem(stale, 412, 'stale-version');
    expect((await app.http.get(`/test/widgets/${id}`)).body.quantity).toBe(5);
  });

  it('refuses a malformed If-Match with 400', async () => {
    expectProblem(await app.http.patch(`/test/widgets/${id}`).set('if-match', 'banana').send({ quantity: 1 }), 400);
  });

  it('lets exactly one of 50 concurrent PATCHes with the same If-Match win', async () => {
    const { body } = await app.http.get(`/test/widgets/${id}`);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => app.http.patch(`/test/widgets/${id}`).set('if-match', `"${body.version}"`).send({ quantity: 100 + i })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(49);
    const after = await app.http.get(`/test/widgets/${id}`);
    expect(after.body.version).toBe(body.version + 1);
  });
});

describe('Idempotency-Key', () => {
  it('replays the first response byte for byte and creates one record', async () => {
    const first = await app.http.post('/test/widgets').set('idempotency-key', 'k-1').send(widget({ name: 'idem' })).expect(201);
    const again = await app.http.post('/test/widgets').set('idempotency-key', 'k-1').send(widget({ name: 'idem' })).expect(201);
    expect(again.text).toBe(first.text);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(await app.sql(`SELECT count(*)::int AS n FROM conventions_test.widget WHERE name = 'idem'`)).toEqual([{ n: 1 }]);
  });

  it('refuses the same key with another body with 422', async () => {
    await app.http.post('/test/widgets').set('idempotency-key', 'k-2').send(widget({ name: 'idem2' })).expect(201);
    expectProblem(await app.http.post('/test/widgets').set('idempotency-key', 'k-2').send(widget({ name: 'other' })), 422, 'idempotency-key-reused');
  });

  it('executes concurrent duplicates once', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => app.http.post('/test/widgets').set('idempotency-key', 'k-race').send(widget({ name: 'race' }))),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await app.sql(`SELECT count(*)::int AS n FROM conventions_test.widget WHERE name = 'race'`)).toEqual([{ n: 1 }]);
  });

  it('forgets a key after 24 h: the next request with it executes and its response is the one replayed', async () => {
    const old = await app.http.post('/test/widgets').set('idempotency-key', 'k-old').send(widget({ name: 'old' })).expect(201);
    await app.sql(`UPDATE platform.idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'k-old'`);
    const fresh = await app.http.post('/test/widgets').set('idempotency-key', 'k-old').send(widget({ name: 'fresh' })).expect(201);
    expect(fresh.body.id).not.toBe(old.body.id);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
    const again = await app.http.post('/test/widgets').set('idempotency-key', 'k-old').send(widget({ name: 'fresh' })).expect(201);
    expect(again.text).toBe(fresh.text);
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it('does not store a failed request: a retry after a 400 executes', async () => {
    expectProblem(await app.http.post('/test/widgets').set('idempotency-key', 'k-3').send(widget({ quantity: -1 })), 400);
    await app.http.post('/test/widgets').set('idempotency-key', 'k-3').send(widget({ quantity: -1 })).expect(400);
  });
});
