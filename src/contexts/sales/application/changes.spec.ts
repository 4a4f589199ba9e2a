import { auditChange as diff } from '../../../platform/audit/audit-diff';
import { changedFields, present, refuseNulls, snapshot } from './changes';

describe('change helpers', () => {
  const before = { name: 'A', flags: ['x'], at: new Date('2026-01-01T00:00:00Z'), note: null as string | null };

  it('finds the fields a change really alters (deep for arrays, by instant for dates), ignoring absent ones', () => {
    expect(changedFields(before, { name: 'A', flags: ['x'], at: new Date('2026-01-01T00:00:00Z'), note: undefined })).toEqual([]);
    expect(changedFields(before, { name: 'B', flags: ['x', 'y'], note: 'n' })).toEqual(['name', 'flags', 'note']);
  });

  it('diffs only the named fields, dates as ISO strings', () => {
    expect(diff(before, { ...before, at: new Date('2026-02-01T00:00:00Z') }, ['at'])).toEqual({
      before: { at: '2026-01-01T00:00:00.000Z' },
      after: { at: '2026-02-01T00:00:00.000Z' },
    });
  });

  it('refuses null for required fields with a 400 per field', () => {
    expect(() => refuseNulls({ name: null, note: null }, ['name', 'flags'])).toThrow(expect.objectContaining({ status: 400, errors: [{ field: 'name', message: 'name cannot be null' }] }));
    expect(() => refuseNulls({ note: null }, ['name'])).not.toThrow();
  });

  it('keeps only present fields and drops internal keys from snapshots', () => {
    expect(present({ a: 1, b: undefined, c: null })).toEqual({ a: 1, c: null });
    expect(snapshot({ id: '1', searchText: 's', nameKey: 'k', emailKey: null, at: new Date('2026-01-01T00:00:00Z') })).toEqual({ id: '1', at: '2026-01-01T00:00:00.000Z' });
  });
});
