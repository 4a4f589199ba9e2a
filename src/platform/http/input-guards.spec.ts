import { findUnsafeText, jsonDepthExceeds, MAX_JSON_DEPTH, trustProxyOption } from './input-guards';

describe('jsonDepthExceeds', () => {
  it('counts nesting from the bytes, brackets in strings (and escaped quotes) aside', () => {
    expect(jsonDepthExceeds(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`)).toBe(false);
    expect(jsonDepthExceeds(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`)).toBe(true);
    expect(jsonDepthExceeds(`{"a":"${'['.repeat(1000)}","b":"\\"${'{'.repeat(1000)}"}`)).toBe(false);
    expect(jsonDepthExceeds(Buffer.from(`{"ü":${'{"a":'.repeat(70)}1${'}'.repeat(70)}}`))).toBe(true);
  });
});

describe('findUnsafeText', () => {
  it('names every string value or key with a NUL or an unpaired surrogate, and passes paired ones', () => {
    const errors = findUnsafeText({ ok: 'smile 😀', a: 'x\u0000', list: ['fine', 'y\ud800'], nested: { ['k\u0000']: 1, deep: { z: '\udc00' } } }, '', []);
    expect(errors.map((e) => e.field)).toEqual(['a', 'list[1]', 'nested.k\uFFFD', 'nested.deep.z']);
  });
});

describe('trustProxyOption', () => {
  it('turns a hop count into "the nearest N peers are proxies"', () => {
    const trust = trustProxyOption(2) as (address: string, hop: number) => boolean;
    expect([0, 1, 2].map((hop) => trust('203.0.113.1', hop))).toEqual([true, true, false]);
    expect(trustProxyOption(false)).toBe(false);
    expect(trustProxyOption(['10.0.0.0/8'])).toEqual(['10.0.0.0/8']);
  });
});
