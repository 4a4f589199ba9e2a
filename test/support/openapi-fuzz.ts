/**
 * Generates valid-ish and mutated requests from the OpenAPI document (QUALITY.md item 15):
 * bodies sampled from each operation's schema, then broken in the ways clients break them —
 * wrong types, missing required fields, unknown fields, huge strings, nulls, junk path ids.
 * Deterministic (seeded), so a failure reproduces.
 */
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

const JUNK: unknown[] = [null, '', 'x'.repeat(5000), -1, 0, 1e308, -9007199254740993, true, [], {}, ['a'], { $ne: 1 }, "'; DROP TABLE x; --", '\u0000', '../../etc/passwd', '2026-13-45', 'NaN'];

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
