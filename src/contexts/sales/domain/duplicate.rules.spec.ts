import { accountNameKey, emailKey, matchedOn, phoneKey, searchText } from './duplicate.rules';

describe('duplicate keys', () => {
  it('normalizes company names: case, accents, punctuation and legal suffixes', () => {
    expect(accountNameKey('ACME, Inc.')).toBe('acme');
    expect(accountNameKey('  Acme   Corp ')).toBe('acme');
    expect(accountNameKey('Müller GmbH')).toBe('muller');
    expect(accountNameKey('Société Générale S.A.')).toBe('societe generale s a');
    expect(accountNameKey('华为技术有限公司')).toBe('华为技术');
    expect(accountNameKey('Inc')).toBe('inc');
  });

  it('normalizes emails and refuses empty ones', () => {
    expect(emailKey(' Ann@Example.COM ')).toBe('ann@example.com');
    expect(emailKey('')).toBeNull();
    expect(emailKey(null)).toBeNull();
  });

  it('compares phones by their last 10 significant digits', () => {
    expect(phoneKey('+49 (030) 1234-5678')).toBe(phoneKey('030 12345678'));
    expect(phoneKey('+1 415 555 0100')).toBe('4155550100');
    expect(phoneKey('12')).toBeNull();
  });

  it('builds search text and reports what matched', () => {
    expect(searchText('Acme', null, 'A@B.com')).toBe('acme a@b.com');
    expect(matchedOn({ nameKey: 'acme', emailKey: 'x@y.z', phoneKeys: ['123456'] }, { nameKey: 'acme', emailKey: 'other', phoneKeys: [null, '123456'] })).toEqual([
      'name',
      'phone',
    ]);
  });
});
