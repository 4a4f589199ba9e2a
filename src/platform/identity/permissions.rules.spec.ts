import { hasPermission, scopeFor } from './actor';
import { canNest, mergeGrants, PERMISSION_PATTERN, SCOPE_KEY_PATTERN } from './permissions.rules';

describe('mergeGrants', () => {
  it('unions permissions', () => {
    const merged = mergeGrants([
      { permissions: ['sales.account:read'], dataScopes: {} },
      { permissions: ['finance.*:*', 'sales.account:read'], dataScopes: {} },
    ]);
    expect([...merged.permissions].sort()).toEqual(['finance.*:*', 'sales.account:read']);
    expect(hasPermission(merged, 'finance.advance:create')).toBe(true);
    expect(hasPermission(merged, 'sales.account:update')).toBe(false);
  });

  it('keeps the widest scope per key, across wildcard levels', () => {
    const merged = mergeGrants([
      { permissions: [], dataScopes: { 'sales.account': 'team', 'finance.advance': 'own' } },
      { permissions: [], dataScopes: { 'sales.*': 'all', 'finance.advance': 'subtree' } },
    ]);
    expect(scopeFor(merged, 'sales.account')).toBe('all');
    expect(scopeFor(merged, 'sales.lead')).toBe('all');
    expect(scopeFor(merged, 'finance.advance')).toBe('subtree');
    expect(scopeFor(merged, 'service.ticket')).toBe('own');
  });

  it('lets a `*` scope apply to every key', () => {
    const merged = mergeGrants([
      { permissions: [], dataScopes: { 'sales.*': 'own' } },
      { permissions: [], dataScopes: { '*': 'all' } },
    ]);
    expect(scopeFor(merged, 'sales.account')).toBe('all');
  });

  it('keeps a narrow scope when no other role widens it', () => {
    const merged = mergeGrants([{ permissions: [], dataScopes: { 'sales.*': 'team', 'sales.lead': 'own' } }]);
    expect(scopeFor(merged, 'sales.lead')).toBe('own');
    expect(scopeFor(merged, 'sales.account')).toBe('team');
  });
});

describe('patterns', () => {
  it.each(['*:*', 'sales.*:*', 'sales.opportunity:update', 'finance.cost-centre:change-cap', 'sales.account:*'])('accepts permission %s', (p) =>
    expect(PERMISSION_PATTERN.test(p)).toBe(true),
  );
  it.each(['sales', 'sales:read', 'Sales.account:read', 'sales.account:', '*.account:read', 'sales.account:read;drop'])('refuses permission %s', (p) =>
    expect(PERMISSION_PATTERN.test(p)).toBe(false),
  );
  it('checks scope keys', () => {
    expect(['*', 'sales.*', 'sales.account'].every((k) => SCOPE_KEY_PATTERN.test(k))).toBe(true);
    expect(['sales', 'sales.account:read', ''].some((k) => SCOPE_KEY_PATTERN.test(k))).toBe(false);
  });
});

describe('canNest', () => {
  it('allows only deeper levels below a unit', () => {
    expect(canNest('group', 'region')).toBe(true);
    expect(canNest('region', 'team')).toBe(true);
    expect(canNest('team', 'team')).toBe(false);
    expect(canNest('department', 'branch')).toBe(false);
  });
});
