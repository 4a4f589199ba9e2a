import { auditDiff } from './audit-diff';

describe('auditDiff', () => {
  it('records every set field of a created record, without secrets', () => {
    expect(auditDiff(null, { name: 'Acme', ownerId: null, passwordHash: 'x', apiToken: 't', clientSecret: 's', version: 1 })).toEqual({
      name: { after: 'Acme' },
    });
  });

  it('records only changed fields of an update, with both sides', () => {
    const at = new Date('2026-01-02T03:04:05.000Z');
    expect(
      auditDiff({ name: 'A', tier: 'gold', closeDate: at, tags: ['x'], version: 1 }, { name: 'B', tier: 'gold', closeDate: at, tags: ['x', 'y'], version: 2 }),
    ).toEqual({ name: { before: 'A', after: 'B' }, tags: { before: ['x'], after: ['x', 'y'] } });
  });

  it('drops secrets nested in objects, and never reports a changed password', () => {
    expect(auditDiff({ settings: { a: 1, webhookSecret: 'old' }, password: 'p1' }, { settings: { a: 2, webhookSecret: 'new' }, password: 'p2' })).toEqual({
      settings: { before: { a: 1 }, after: { a: 2 } },
    });
  });

  it('records every field of a deleted record', () => {
    expect(auditDiff({ name: 'A', amountMinor: 100n }, null)).toEqual({ name: { before: 'A' }, amountMinor: { before: '100' } });
  });

  it('is empty when nothing changed', () => {
    expect(auditDiff({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual({});
  });
});
