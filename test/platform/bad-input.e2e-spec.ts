import { authHeader } from '../support/identity';
import { expectProblem, startTestApp, TEST_ADMIN, type TestApp } from '../support/test-app';

/**
 * Issue #14, item 6: input that used to reach a 500 (stack overflow, PostgreSQL refusing NUL,
 * validator.js throwing on lone surrogates, nulls, limits of the HTTP parser, a CSV with
 * 100,000 columns) answers a 4xx RFC 9457 problem+json naming the field or parameter.
 */
let app: TestApp;
let admin: { authorization: string };
let captureUrl: string;

beforeAll(async () => {
  app = await startTestApp();
  admin = authHeader((await app.http.post('/api/v1/auth/login').send(TEST_ADMIN).expect(200)).body.accessToken);
  const form = await app.http.post('/api/v1/sales/lead-capture-forms').set(admin).send({ name: 'Website', ratePerMinute: 1000 }).expect(201);
  captureUrl = `/api/v1/sales/lead-capture/${form.body.formKey}`;
});
afterAll(() => app?.close());

const json = (text: string) => ({ 'content-type': 'application/json', text });
const postJson = (url: string, body: { 'content-type': string; text: string }, auth?: { authorization: string }) => {
  const req = app.http.post(url).set('content-type', body['content-type']);
  return (auth ? req.set(auth) : req).send(body.text);
};
const fields = (res: { body: { errors?: Array<{ field: string }> } }) => (res.body.errors ?? []).map((e) => e.field);

describe('JSON nested deeper than 64 levels', () => {
  const deepArray = json(`{"email":${'['.repeat(3000)}${']'.repeat(3000)},"password":"x"}`);
  const deepObject = json(`${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`);

  it('is refused with 400 on the public login, before validation', async () => {
    for (const body of [deepArray, deepObject, json('['.repeat(100_000))]) {
      const res = await postJson('/api/v1/auth/login', body);
      expectProblem(res, 400, 'validation-failed');
      expect(res.body.errors).toEqual([{ field: 'body', message: 'JSON must not be nested deeper than 64 levels' }]);
    }
  });

  it('is refused on an authenticated endpoint too, while 64 levels still reach validation', async () => {
    const tooDeep = await postJson('/api/v1/sales/accounts', json(`{"name":"Deep","customFields":{"x":${'['.repeat(64)}${']'.repeat(64)}}}`), admin);
    expectProblem(tooDeep, 400, 'validation-failed');
    expect(fields(tooDeep)).toEqual(['body']);
    const deepest = await postJson('/api/v1/sales/accounts', json(`{"name":"Deep","customFields":{"x":${'['.repeat(62)}${']'.repeat(62)}}}`), admin);
    expectProblem(deepest, 400, 'validation-failed');
    expect(fields(deepest)).toEqual(['customFields']);
  });

  it('does not count brackets inside strings', async () => {
    const res = await app.http.post('/api/v1/sales/accounts').set(admin).send({ name: `Brackets ${'[{'.repeat(80)}` });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe(`Brackets ${'[{'.repeat(80)}`);
  });
});

describe('malformed JSON', () => {
  it('→ 400 naming the body', async () => {
    for (const [text, message] of [['{"email":', 'is not valid JSON'], ['', 'is empty, but the content type is application/json']]) {
      const res = await postJson('/api/v1/auth/login', json(text));
      expectProblem(res, 400, 'malformed-request');
      expect(res.body.errors).toEqual([{ field: 'body', message }]);
    }
  });
});

describe('NUL characters', () => {
  it('in body strings → 400 naming the field (also on the public lead capture, and in nested fields and keys)', async () => {
    const capture = await app.http.post(captureUrl).send({ lastName: 'Nul\u0000Byte', email: 'nul@example.com' });
    expectProblem(capture, 400, 'validation-failed');
    expect(fields(capture)).toEqual(['lastName']);

    const login = await app.http.post('/api/v1/auth/login').send({ email: 'a\u0000@example.com', password: 'pass\u0000word' });
    expectProblem(login, 400, 'validation-failed');
    expect(fields(login)).toEqual(['email', 'password']);

    const nested = await app.http.post('/api/v1/sales/accounts').set(admin).send({ name: 'Nested', address: { city: 'Ber\u0000lin' }, customFields: { ['k\u0000']: 'v' } });
    expectProblem(nested, 400, 'validation-failed');
    expect(fields(nested)).toEqual(['address.city', 'customFields.k\uFFFD']);
    expect(await app.sql(`SELECT 1 FROM sales.account WHERE name = 'Nested'`)).toEqual([]);
  });

  it('in query values → 400 naming the parameter', async () => {
    const res = await app.http.get('/api/v1/sales/leads?q=a%00b&limit=10').set(admin);
    expectProblem(res, 400, 'validation-failed');
    expect(res.body.errors).toEqual([{ field: 'q', message: 'must not contain NUL characters (\\u0000)' }]);
  });

  it('in path segments → 400 naming the parameter, authenticated or not', async () => {
    const publicPath = await app.http.post(`${captureUrl}%00`).send({ lastName: 'X' });
    expectProblem(publicPath, 400, 'validation-failed');
    expect(fields(publicPath)).toEqual(['formKey']);
    const byId = await app.http.get('/api/v1/sales/accounts/0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b%00').set(admin);
    expectProblem(byId, 400, 'validation-failed');
    expect(fields(byId)).toEqual(['id']);
  });

  it('in a CSV import → 400 naming the csv body', async () => {
    const res = await app.http.post('/api/v1/sales/leads/import?dryRun=true').set(admin).set('content-type', 'text/csv').send('lastName\nNul\u0000\n');
    expectProblem(res, 400, 'validation-failed');
    expect(fields(res)).toEqual(['csv']);
  });
});

describe('unpaired UTF-16 surrogates', () => {
  it('in an e-mail → 400 naming it (login, public capture, user creation)', async () => {
    const login = await postJson('/api/v1/auth/login', json('{"email":"a\\ud800@example.com","password":"whatever-123"}'));
    expectProblem(login, 400, 'validation-failed');
    expect(login.body.errors).toEqual([{ field: 'email', message: 'must be valid Unicode text (it has an unpaired UTF-16 surrogate)' }]);
    const capture = await postJson(captureUrl, json('{"lastName":"Lone","email":"x\\udc00y@example.com"}'));
    expectProblem(capture, 400, 'validation-failed');
    expect(fields(capture)).toEqual(['email']);
    const user = await postJson('/api/v1/identity/users', json('{"name":"S","email":"s\\ud83d@example.com","password":"long-enough-1","roles":["sales-rep"]}'), admin);
    expectProblem(user, 400, 'validation-failed');
    expect(fields(user)).toEqual(['email']);
  });

  it('a paired surrogate (an emoji) is text and passes', async () => {
    const res = await postJson('/api/v1/sales/accounts', json('{"name":"Smile \\ud83d\\ude00"}'), admin);
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('Smile 😀');
  });
});

describe('null', () => {
  it('for a required field → 400 naming it', async () => {
    const login = await app.http.post('/api/v1/auth/login').send({ email: null, password: 'whatever-123' });
    expectProblem(login, 400, 'validation-failed');
    expect(login.body.errors).toEqual([{ field: 'email', message: 'email must not be null' }]);
    const capture = await app.http.post(captureUrl).send({ lastName: null });
    expectProblem(capture, 400, 'validation-failed');
    expect(fields(capture)).toEqual(['lastName']);
  });

  it('for an optional field the API does not declare nullable → 400 naming it, with every other invalid field', async () => {
    const res = await app.http.post('/api/v1/sales/accounts').set(admin).send({ name: null, type: null, address: { city: null }, tier: 'nope' });
    expectProblem(res, 400, 'validation-failed');
    expect(fields(res).sort()).toEqual(['address.city', 'name', 'tier', 'type']);
    expect(res.body.errors).toContainEqual({ field: 'type', message: 'type must not be null' });
  });

  it('for a field declared nullable is accepted (clears it)', async () => {
    const res = await app.http.post('/api/v1/sales/accounts').set(admin).send({ name: 'Nullable', industry: null, address: null });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ industry: null, address: null });
  });
});

describe('limits of the HTTP parser and the router', () => {
  it('a URI longer than the header limit → 414 problem+json', async () => {
    const res = await app.http.get(`/api/v1/sales/accounts?q=${'x'.repeat(20_000)}`).set(admin);
    expectProblem(res, 414, 'uri-too-long');
    expect(fields(res)).toEqual(['url']);
  });

  it('a path parameter longer than 2,048 characters → 414 problem+json', async () => {
    const res = await app.http.get(`/api/v1/sales/accounts/${'x'.repeat(5000)}`).set(admin);
    expectProblem(res, 414, 'uri-too-long');
    expect(fields(res)).toEqual(['path']);
  });

  it('headers over the limit → 431 problem+json', async () => {
    const res = await app.http.get('/api/v1/sales/accounts').set(admin).set('x-padding', 'x'.repeat(20_000));
    expectProblem(res, 431, 'headers-too-large');
    expect(fields(res)).toEqual(['headers']);
  });

  it('a path that is not valid percent-encoding → 400 problem+json', async () => {
    const res = await app.http.get('/api/v1/sales/accounts/%c0%zz').set(admin);
    expectProblem(res, 400, 'malformed-request');
    expect(fields(res)).toEqual(['path']);
  });
});

describe('lead import limits', () => {
  it('a header of 100,000 columns → 400 with a small body', async () => {
    const header = Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',');
    const res = await app.http.post('/api/v1/sales/leads/import?dryRun=true').set(admin).set('content-type', 'text/csv').send(`${header}\n${'x,'.repeat(10)}\n`);
    expectProblem(res, 400, 'validation-failed');
    expect(res.body.errors).toEqual([{ field: 'csv.header', message: 'has more than 200 columns' }]);
    expect(res.text.length).toBeLessThan(1000);
  });

  it('a data row of 100,000 columns → 400 naming the record', async () => {
    const res = await app.http.post('/api/v1/sales/leads/import?dryRun=true').set(admin).set('content-type', 'text/csv').send(`lastName\nSmith\n${',x'.repeat(100_000)}\n`);
    expectProblem(res, 400, 'validation-failed');
    expect(res.body.errors).toEqual([{ field: 'csv.row[3]', message: 'has more than 200 columns' }]);
  });
});
