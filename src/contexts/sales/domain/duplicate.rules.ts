/**
 * Keys for the duplicate check on accounts, contacts and leads: two records whose keys are
 * equal are likely the same party. Pure; stored in `*_key` columns and indexed.
 */

const LEGAL_SUFFIXES = [
  'incorporated', 'inc', 'corporation', 'corp', 'company', 'co', 'limited', 'ltd', 'llc', 'llp', 'plc',
  'gmbh', 'ag', 'sa', 'sas', 'sarl', 'srl', 'spa', 'bv', 'nv', 'oy', 'ab', 'as', 'kk', 'pty', 'pte',
];
const CJK_SUFFIXES = ['股份有限公司', '有限责任公司', '有限公司', '集团', '公司'];

/** Lower case, accents and punctuation removed, legal-form suffixes dropped: "ACME, Inc." → "acme". */
export function accountNameKey(name: string): string {
  let text = name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim();
  for (const suffix of CJK_SUFFIXES) if (text.endsWith(suffix) && text.length > suffix.length) text = text.slice(0, -suffix.length);
  const words = text.replace(/[^\p{L}\p{N}]+/gu, ' ').trim().split(' ').filter(Boolean);
  while (words.length > 1 && LEGAL_SUFFIXES.includes(words[words.length - 1])) words.pop();
  return words.join(' ');
}

/** Trimmed, lower-cased email; null when empty. */
export function emailKey(email: string | null | undefined): string | null {
  const key = email?.trim().toLowerCase();
  return key ? key : null;
}

/**
 * Digits only, without a leading international prefix (`00`/`+`) or trunk `0`, keeping the last
 * 10 digits — so "+49 (030) 1234-5678" and "030 12345678" compare equal. Null below 6 digits.
 */
export function phoneKey(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, '').replace(/^0+/, '');
  if (digits.length < 6) return null;
  return digits.slice(-10);
}

/** The text `?q=` searches with a trigram index: lower-cased name, email and phone digits. */
export function searchText(...parts: Array<string | null | undefined>): string {
  return parts
    .filter((p): p is string => !!p)
    .map((p) => p.toLowerCase().trim())
    .join(' ');
}

export type DuplicateMatch = 'name' | 'email' | 'phone';

/** Which keys of a candidate equal the new record's keys. */
export function matchedOn(
  incoming: { nameKey?: string | null; emailKey?: string | null; phoneKeys?: Array<string | null> },
  candidate: { nameKey?: string | null; emailKey?: string | null; phoneKeys?: Array<string | null> },
): DuplicateMatch[] {
  const matches: DuplicateMatch[] = [];
  if (incoming.nameKey && incoming.nameKey === candidate.nameKey) matches.push('name');
  if (incoming.emailKey && incoming.emailKey === candidate.emailKey) matches.push('email');
  const phones = new Set((candidate.phoneKeys ?? []).filter(Boolean));
  if ((incoming.phoneKeys ?? []).some((p) => p && phones.has(p))) matches.push('phone');
  return matches;
}
