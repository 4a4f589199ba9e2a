/**
 * Tiny readers for environment variables. Each pushes a message naming the variable into
 * `problems` instead of throwing, so one start-up reports every bad value at once.
 */
import { isIP } from 'node:net';

type Env = NodeJS.ProcessEnv;

/**
 * Which peers are believed when they send `X-Forwarded-For`: none (`false`), every peer
 * (`true`), the nearest N hops, or the peers whose address is in one of these IPs/CIDRs
 * (or proxy-addr's names `loopback`, `linklocal`, `uniquelocal`).
 */
export type TrustProxySetting = boolean | number | string[];

const PROXY_ADDRESS_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** `10.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8` or one of {@link PROXY_ADDRESS_NAMES}. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_ADDRESS_NAMES.includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export const z = {
  string(env: Env, name: string, fallback: string, problems: string[], opts: { minLength?: number } = {}): string {
    const value = raw(env, name) ?? fallback;
    if (opts.minLength && value.length < opts.minLength) {
      problems.push(`${name}: must be at least ${opts.minLength} characters`);
    }
    return value;
  },
  int(env: Env, name: string, fallback: number, range: { min: number; max: number }, problems: string[]): number {
    const value = raw(env, name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < range.min || n > range.max) {
      problems.push(`${name}: must be an integer between ${range.min} and ${range.max}, got "${value}"`);
      return fallback;
    }
    return n;
  },
  bool(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
    const value = raw(env, name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(value)) return true;
    if (['0', 'false', 'no', 'off'].includes(value)) return false;
    problems.push(`${name}: must be true or false, got "${value}"`);
    return fallback;
  },
  oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T, problems: string[]): T {
    const value = raw(env, name);
    if (value === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      problems.push(`${name}: must be one of ${allowed.join(', ')}, got "${value}"`);
      return fallback;
    }
    return value as T;
  },
  url(env: Env, name: string, protocols: string[], problems: string[]): string | undefined {
    const value = raw(env, name);
    if (value === undefined) return undefined;
    try {
      const url = new URL(value);
      if (!protocols.includes(url.protocol)) throw new Error('protocol');
      return value;
    } catch {
      problems.push(`${name}: must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
      return undefined;
    }
  },
  trustProxy(env: Env, name: string, problems: string[]): TrustProxySetting {
    const value = raw(env, name);
    if (value === undefined) return false;
    const lower = value.toLowerCase();
    if (['0', 'false', 'no', 'off'].includes(lower)) return false;
    if (['true', 'yes', 'on'].includes(lower)) return true;
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops >= 1 && hops <= 32) return hops;
    }
    const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
    const bad = entries.filter((e) => !isProxyAddress(e));
    if (!entries.length || bad.length || /^\d+$/.test(value)) {
      problems.push(
        `${name}: must be false, true, a hop count between 1 and 32, or a comma-separated list of proxy IPs/CIDRs ` +
          `(or ${PROXY_ADDRESS_NAMES.join(', ')}), got "${value}"${bad.length ? ` (not an IP or CIDR: ${bad.join(', ')})` : ''}`,
      );
      return false;
    }
    return entries;
  },
  email(env: Env, name: string, fallback: string, problems: string[]): string {
    const value = raw(env, name) ?? fallback;
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) problems.push(`${name}: must be an email address, got "${value}"`);
    return value.toLowerCase();
  },
};
