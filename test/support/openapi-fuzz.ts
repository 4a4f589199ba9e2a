/**
 * Generates valid-ish, mutated and hostile requests from the OpenAPI document (QUALITY.md item 15):
 * bodies sampled from each operation's schema, then broken in the ways clients and attackers
 * break them — wrong types, missing required fields, unknown fields, huge strings, nulls, junk
 * path ids; JSON nested thousands of levels deep; NUL characters and unpaired UTF-16
 * surrogates in body strings, query values and path segments; null for required and for
 * non-nullable fields; over-long paths, URLs and headers.
 * Deterministic (seeded), so a failure reproduces.
 */
import http from 'node:http';

type Schema = Record<string, any>;

export class Rng {
  constructor(private seed: number) {}
  next(): number {
    // mulberry32
    let t = (this.seed += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

const JUNK: unknown[] = [
  null, '', 'x'.repeat(5000), -1, 0, 1e308, -9007199254740993, true, [], {}, ['a'], { $ne: 1 }, "'; DROP TABLE x; --", '\u0000', '../../etc/passwd',
  '2026-13-45', 'NaN', 'a\ud800b', '\udfff', '%00', 'ﬀ\u202e', 1.5, '1e3',
];

export function resolve(doc: Schema, schema: Schema | undefined): Schema {
  let s = schema ?? {};
  for (let i = 0; s.$ref && i < 20; i++) {
    const path = (s.$ref as string).replace(/^#\//, '').split('/');
    s = path.reduce((o: Schema, k) => o?.[k], doc) ?? {};
  }
  return s;
}

export function sample(doc: Schema, schema: Schema | undefined, rng: Rng, depth = 0): unknown {
  const s = resolve(doc, schema);
  if (s.example !== undefined && rng.next() < 0.5) return s.example;
  if (s.enum) return rng.pick(s.enum);
  if (s.allOf) return Object.assign({}, ...s.allOf.map((p: Schema) => sample(doc, p, rng, depth + 1)));
  if (s.oneOf || s.anyOf) return sample(doc, rng.pick(s.oneOf ?? s.anyOf), rng, depth + 1);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (depth > 4) return null;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, p] of Object.entries<Schema>(s.properties ?? {})) {
        if ((s.required ?? []).includes(k) || rng.next() < 0.6) out[k] = sample(doc, p, rng, depth + 1);
      }
      return out;
    }
    case 'array':
      return Array.from({ length: rng.int(3) }, () => sample(doc, s.items, rng, depth + 1));
    case 'integer':
      return rng.int(1000);
    case 'number':
      return rng.next() * 1000;
    case 'boolean':
      return rng.next() < 0.5;
    case 'string':
      if (s.format === 'uuid') return '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d';
      if (s.format === 'date-time') return new Date(Date.UTC(2026, rng.int(12), 1 + rng.int(28))).toISOString();
      if (s.format === 'date') return `2026-0${1 + rng.int(9)}-1${rng.int(9)}`;
      if (s.format === 'email') return `fuzz${rng.int(1e6)}@example.com`;
      return `fuzz-${rng.int(1e6)}`;
    default:
      return rng.pick(JUNK);
  }
}

/** One of several ways to break a body. */
export function mutate(body: unknown, rng: Rng): unknown {
  const choice = rng.int(6);
  if (choice === 0 || body === null || typeof body !== 'object' || Array.isArray(body)) return rng.pick(JUNK);
  const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (choice === 1 && keys.length) delete copy[rng.pick(keys)];
  else if (choice === 2 && keys.length) copy[rng.pick(keys)] = rng.pick(JUNK);
  else if (choice === 3) copy[rng.pick(['ownerId', 'version', 'status', 'spentMinor', 'roles', '__proto__x', 'id'])] = rng.pick(JUNK);
  else if (choice === 4) for (const k of keys) copy[k] = rng.pick(JUNK);
  return copy;
}

export const JUNK_IDS = ['0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d', 'not-a-uuid', '1', '%27%20OR%201=1', 'x'.repeat(300), '00000000-0000-0000-0000-000000000000'];

/** One operation of the document. */
export interface Operation {
  method: string;
  path: string;
  op: Schema;
  /** The resolved JSON request body schema, if the operation takes one. */
  body?: Schema;
}

export function operationsOf(doc: Schema, skip: ReadonlySet<string> = new Set()): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries<Schema>(doc.paths)) {
    if (skip.has(path)) continue;
    for (const [method, op] of Object.entries<Schema>(item)) {
      const schema = op.requestBody?.content?.['application/json']?.schema;
      out.push({ method: method.toUpperCase(), path, op, body: schema ? resolve(doc, schema) : undefined });
    }
  }
  return out;
}

/**
 * What a request tests: `generated` (sampled, maybe mutated) requests may answer anything
 * below 500; every other kind must be refused with the given status (a number), or with some
 * 4xx (`'4xx'`) when guards answer first (401/403) or several checks apply.
 */
export type FuzzKind =
  | 'generated' | 'deep-json' | 'nul-body' | 'nul-query' | 'nul-path' | 'surrogate-body' | 'surrogate-query'
  | 'null-required' | 'null-optional' | 'null-all' | 'long-param' | 'long-url' | 'big-header';

export interface FuzzRequest {
  kind: FuzzKind;
  method: string;
  /** Path and query, percent-encoded as sent. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The status every answer must have, `'4xx'` for any client error, undefined for anything below 500. */
  expect?: number | '4xx';
}

const enc = (value: string) => encodeURIComponent(value);
const NUL_VALUES = ['\u0000', 'a\u0000', '\u0000\u0000x', 'fuzz\u0000-1'];
const LONE_SURROGATES = ['\ud800', 'a\udbff', '\udc00z', 'x\ud83d', '\udfffa\ud800'];

/** Every string-typed property path (top level and one level of nested objects) of a body schema. */
function stringFields(doc: Schema, schema: Schema): string[][] {
  const out: string[][] = [];
  for (const [k, p] of Object.entries<Schema>(schema.properties ?? {})) {
    const r = resolve(doc, p);
    const type = Array.isArray(r.type) ? r.type[0] : r.type;
    if (type === 'string' || r.enum) out.push([k]);
    else if (type === 'object' && r.properties) for (const [k2] of Object.entries<Schema>(r.properties)) out.push([k, k2]);
    else if (type === 'array') out.push([k, '0']);
    else out.push([k]);
  }
  return out;
}

function setPath(body: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  let target: any = copy;
  for (const key of path.slice(0, -1)) {
    if (target[key] === null || typeof target[key] !== 'object') target[key] = /^\d+$/.test(path[path.indexOf(key) + 1] ?? '') ? [] : {};
    target = target[key];
  }
  target[path[path.length - 1]] = value;
  return copy;
}

/**
 * Builds the requests for one operation and caller: `generated` ones (as many as asked) and
 * one of each hostile kind that applies to the operation.
 */
export function requestsFor(doc: Schema, operation: Operation, rng: Rng, options: { generated: number; auth?: Record<string, string>; ids: readonly string[] }): FuzzRequest[] {
  const { method, path, op, body: schema } = operation;
  const auth = options.auth ?? {};
  const pathParams: Schema[] = (op.parameters ?? []).filter((p: Schema) => p.in === 'path');
  const queryParams: Schema[] = (op.parameters ?? []).filter((p: Schema) => p.in === 'query');
  const url = (param: (name: string) => string = () => enc(rng.pick(options.ids)), query = '') => `${path.replace(/\{([^}]+)\}/g, (_, name: string) => param(name))}${query ? `?${query}` : ''}`;
  const sampledQuery = () =>
    queryParams
      .filter(() => rng.next() < 0.5)
      .map((p: Schema) => {
        const value = rng.next() < 0.5 ? sample(doc, p.schema, rng) : rng.pick(['', 'x', '-1', '99999999999', 'null', '[]', 'a'.repeat(3000)]);
        return `${enc(p.name)}=${enc(typeof value === 'string' ? value : JSON.stringify(value))}`;
      })
      .join('&');
  const validBody = () => (schema ? (sample(doc, schema, rng) as Record<string, unknown>) : undefined);
  const json = (value: unknown) => JSON.stringify(value);
  const jsonHeaders = { ...auth, 'content-type': 'application/json' };
  const out: FuzzRequest[] = [];

  for (let i = 0; i < options.generated; i++) {
    let body: unknown = validBody();
    if (body !== undefined && i % 2 === 1) body = mutate(body, rng);
    out.push({ kind: 'generated', method, url: url(undefined, sampledQuery()), headers: body === undefined ? { ...auth } : jsonHeaders, body: body === undefined ? undefined : json(body) });
  }

  if (schema) {
    // Deep JSON: an array or an object nested past the limit, alone or as a field's value.
    const depth = 65 + rng.int(rng.next() < 0.5 ? 100 : 5000);
    const deep = rng.next() < 0.5 ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const fields = stringFields(doc, schema);
    const sampled = validBody();
    const host = sampled !== null && typeof sampled === 'object' && !Array.isArray(sampled) ? sampled : {};
    const text = fields.length && rng.next() < 0.7 ? json(setPath(host, [rng.pick(fields)[0]], '__DEEP__')).replace('"__DEEP__"', deep) : deep;
    out.push({ kind: 'deep-json', method, url: url(), headers: jsonHeaders, body: text, expect: 400 });

    const field = fields.length ? rng.pick(fields) : ['fuzz'];
    out.push({ kind: 'nul-body', method, url: url(), headers: jsonHeaders, body: json(setPath(host, field, rng.pick(NUL_VALUES))), expect: 400 });
    const field2 = fields.length ? rng.pick(fields) : ['fuzz'];
    out.push({ kind: 'surrogate-body', method, url: url(), headers: jsonHeaders, body: json(setPath(host, field2, rng.pick(LONE_SURROGATES))), expect: 400 });

    const properties = Object.keys(schema.properties ?? {});
    const required: string[] = schema.required ?? [];
    const nullableOf = (k: string) => {
      const raw = schema.properties[k];
      const p = resolve(doc, raw);
      // OpenAPI 3.1 writes a nullable object reference as `anyOf: [{ $ref }, { type: 'null' }]`.
      const union = [...(raw.anyOf ?? []), ...(raw.oneOf ?? [])] as Array<{ type?: unknown }>;
      return p.nullable === true || (Array.isArray(p.type) && p.type.includes('null')) || raw.nullable === true || union.some((u) => u.type === 'null');
    };
    // Guards answer before validation: a caller without the permission gets 401/403 first.
    const requiredNotNullable = required.filter((k) => !nullableOf(k));
    if (requiredNotNullable.length) {
      out.push({ kind: 'null-required', method, url: url(), headers: jsonHeaders, body: json({ ...host, [rng.pick(requiredNotNullable)]: null }), expect: '4xx' });
    }
    const optional = properties.filter((k) => !required.includes(k) && !nullableOf(k));
    if (optional.length) {
      out.push({ kind: 'null-optional', method, url: url(), headers: jsonHeaders, body: json({ ...host, [rng.pick(optional)]: null }), expect: '4xx' });
    }
    if (properties.length) {
      out.push({ kind: 'null-all', method, url: url(), headers: jsonHeaders, body: json(Object.fromEntries(properties.map((k) => [k, null]))), expect: requiredNotNullable.length || optional.length ? '4xx' : undefined });
    }
  }

  const queryName: string = queryParams.length ? rng.pick(queryParams).name : 'fuzz';
  out.push({ kind: 'nul-query', method, url: url(undefined, `${enc(queryName)}=${enc(rng.pick(NUL_VALUES))}`), headers: { ...auth }, expect: 400 });
  // A lone surrogate has no UTF-8 form: sent as its CESU-8 bytes, which decode to U+FFFD or stay undecoded.
  out.push({ kind: 'surrogate-query', method, url: url(undefined, `${enc(queryName)}=a%ED%A0%80b`), headers: { ...auth } });
  if (pathParams.length) {
    const target: string = rng.pick(pathParams).name;
    out.push({ kind: 'nul-path', method, url: url((name) => (name === target ? enc(rng.pick(NUL_VALUES)) : enc(rng.pick(options.ids)))), headers: { ...auth }, expect: 400 });
    out.push({ kind: 'long-param', method, url: url((name) => (name === target ? 'x'.repeat(2049 + rng.int(8000)) : enc(rng.pick(options.ids)))), headers: { ...auth }, expect: 414 });
  }
  out.push({ kind: 'long-url', method, url: url(undefined, `q=${'y'.repeat(17_000 + rng.int(20_000))}`), headers: { ...auth }, expect: 414 });
  out.push({ kind: 'big-header', method, url: url(), headers: { ...auth, 'x-fuzz': 'z'.repeat(17_000 + rng.int(20_000)) }, expect: 431 });
  return out;
}

export interface FuzzResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** A keep-alive HTTP/1.1 client for the app listening on `port` of the loopback. */
export function fuzzClient(port: number, concurrency: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const send = (request: FuzzRequest): Promise<FuzzResponse> =>
    new Promise((resolvePromise, reject) => {
      const headers: Record<string, string | number> = { ...request.headers };
      if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body);
      const req = http.request({ host: '127.0.0.1', port, method: request.method, path: request.url, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      // The server may answer (414/431) and close before the request is fully written.
      req.on('error', reject);
      req.end(request.body);
    });
  return { send, close: () => agent.destroy() };
}

/** Runs `work` over `items` with at most `concurrency` in flight, in order of start. */
export async function inPool<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

const LEAK = /\bat .+\.(ts|js):\d+|node_modules|\/work\/|SELECT |INSERT INTO|UPDATE .+ SET|QueryFailedError|TypeError|RangeError/;

/** What is wrong with an answer, or undefined when it is acceptable. */
export function checkResponse(request: FuzzRequest, res: FuzzResponse): string | undefined {
  if (res.status >= 500) return `${res.status} ${res.text.slice(0, 200)}`;
  if (request.expect === '4xx' && (res.status < 400 || res.status >= 500)) return `expected a 4xx, got ${res.status}`;
  if (typeof request.expect === 'number' && res.status !== request.expect) return `expected ${request.expect}, got ${res.status} ${res.text.slice(0, 200)}`;
  if (res.status < 400) return undefined;
  if (!String(res.headers['content-type']).includes('application/problem+json')) return `${res.status} not problem+json`;
  let problem: Record<string, unknown>;
  try {
    problem = JSON.parse(res.text);
  } catch {
    return `${res.status} problem+json that is not JSON`;
  }
  if (problem.status !== res.status || typeof problem.type !== 'string' || typeof problem.title !== 'string' || typeof problem.detail !== 'string') {
    return `${res.status} problem without status/type/title/detail`;
  }
  if (LEAK.test(res.text)) return `${res.status} leaks internals: ${res.text.slice(0, 200)}`;
  if (request.expect === 400 && request.kind !== 'generated' && !(Array.isArray(problem.errors) && problem.errors.length)) return '400 without errors[]';
  return undefined;
}
