import { hasPermission, scopeFor } from './actor';
import { canNest, exceeds, intersectPermissions, meetPermission, mergeGrants, PERMISSION_PATTERN, SCOPE_KEY_PATTERN } from './permissions.rules';

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

describe('hasPermission (patterns)', () => {
  const holder = (...permissions: string[]) => ({ permissions: new Set(permissions) });
  it('covers a pattern only with a grant at least as wide in every segment', () => {
    expect(hasPermission(holder('sales.*:*'), 'sales.account:read')).toBe(true);
    expect(hasPermission(holder('sales.*:*'), 'sales.*:*')).toBe(true);
    expect(hasPermission(holder('*:*'), 'sales.*:*')).toBe(true);
    expect(hasPermission(holder('sales.account:*'), 'sales.*:*')).toBe(false);
    expect(hasPermission(holder('sales.*:read'), 'sales.*:*')).toBe(false);
    expect(hasPermission(holder('sales.*:*'), '*:*')).toBe(false);
    expect(hasPermission(holder('*:read'), 'finance.advance:read')).toBe(true);
    expect(hasPermission(holder('*:read'), 'finance.advance:create')).toBe(false);
    expect(hasPermission(holder('*:read'), '*:*')).toBe(false);
  });
});

describe('meetPermission', () => {
  it.each([
    ['sales.*:read', 'sales.account:*', 'sales.account:read'],
    ['*:*', 'sales.account:read', 'sales.account:read'],
    ['sales.account:read', '*:*', 'sales.account:read'],
    ['*:*', '*:*', '*:*'],
    ['*:read', 'sales.*:*', 'sales.*:read'],
    ['*:read', '*:*', '*:read'],
    ['sales.*:*', 'sales.lead:*', 'sales.lead:*'],
  ])('%s ∩ %s = %s', (a, b, meet) => {
    expect(meetPermission(a, b)).toBe(meet);
    expect(meetPermission(b, a)).toBe(meet);
  });
  it.each([
    ['sales.account:read', 'sales.account:update'],
    ['sales.*:*', 'finance.*:*'],
    ['sales.account:*', 'sales.lead:*'],
    ['*:read', 'sales.account:update'],
  ])('%s ∩ %s is nothing', (a, b) => expect(meetPermission(a, b)).toBeNull());
});

describe('intersectPermissions', () => {
  it('keeps what both hold, segment by segment', () => {
    expect([...intersectPermissions(['sales.*:*'], new Set(['sales.account:read', 'sales.lead:*', 'finance.*:*']))].sort()).toEqual([
      'sales.account:read',
      'sales.lead:*',
    ]);
    expect([...intersectPermissions(['sales.*:read', 'identity.user:read'], new Set(['*:*']))].sort()).toEqual(['identity.user:read', 'sales.*:read']);
    expect([...intersectPermissions(['sales.*:*'], new Set(['identity.self:read']))]).toEqual([]);
  });
  it('answers hasPermission like holding both', () => {
    const both = { permissions: intersectPermissions(['sales.*:read', 'finance.advance:*'], new Set(['sales.account:*', 'finance.*:create'])) };
    expect(hasPermission(both, 'sales.account:read')).toBe(true);
    expect(hasPermission(both, 'sales.account:update')).toBe(false);
    expect(hasPermission(both, 'sales.lead:read')).toBe(false);
    expect(hasPermission(both, 'finance.advance:create')).toBe(true);
    expect(hasPermission(both, 'finance.advance:read')).toBe(false);
  });
});

describe('exceeds', () => {
  const holder = (permissions: string[], dataScopes: Record<string, 'own' | 'team' | 'subtree' | 'all'> = {}) => ({ permissions: new Set(permissions), dataScopes });
  it('is empty when the holder covers every permission and scope', () => {
    expect(exceeds(holder(['*:*'], { '*': 'all' }), { permissions: ['sales.*:*', 'identity.user:read'], dataScopes: { 'sales.*': 'all' } })).toEqual([]);
    expect(exceeds(holder(['sales.*:*'], { 'sales.*': 'team' }), { permissions: ['sales.account:read'], dataScopes: { 'sales.account': 'team', 'sales.lead': 'own' } })).toEqual([]);
  });
  it('names each permission not covered', () => {
    expect(exceeds(holder(['identity.role:create']), { permissions: ['*:*', 'identity.role:create', 'sales.account:read'], dataScopes: {} })).toEqual(['*:*', 'sales.account:read']);
    expect(exceeds(holder(['sales.account:*', 'sales.lead:*']), { permissions: ['sales.*:*'], dataScopes: {} })).toEqual(['sales.*:*']);
  });
  it('compares the scope of every resource, wildcard keys included', () => {
    expect(exceeds(holder([], { 'sales.*': 'team' }), { permissions: [], dataScopes: { '*': 'all' } })).toEqual([
      'data scope *: all (yours: own)',
      'data scope sales.*: all (yours: team)',
    ]);
    // A grant of `sales.*: all` reaches sales.lead, where the holder has only `own`.
    expect(exceeds(holder([], { 'sales.*': 'all', 'sales.lead': 'own' }), { permissions: [], dataScopes: { 'sales.*': 'all' } })).toEqual([
      'data scope sales.lead: all (yours: own)',
    ]);
    expect(exceeds(holder([], { 'sales.account': 'all' }), { permissions: [], dataScopes: { 'sales.*': 'subtree' } })).toEqual(['data scope sales.*: subtree (yours: own)']);
    expect(exceeds(holder([], { '*': 'team' }), { permissions: [], dataScopes: { 'sales.account': 'subtree', 'sales.lead': 'team' } })).toEqual([
      'data scope sales.account: subtree (yours: team)',
    ]);
  });
});
