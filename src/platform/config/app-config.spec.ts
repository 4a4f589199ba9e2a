import { ConfigError, DEV_ADMIN_PASSWORD, DEV_JWT_SECRET, loadConfig, startupWarnings } from './app-config';

describe('loadConfig', () => {
  it('starts with documented development defaults on an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, dataDir: './data', adminEmail: 'admin@example.com', logLevel: 'info', databaseUrl: undefined });
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', ADMIN_EMAIL: 'nobody', JWT_SECRET: 'short' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const text = (error as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'ADMIN_EMAIL', 'JWT_SECRET']) expect(text).toContain(`${name}:`);
    }
  });

  it('refuses development secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: required[\s\S]*ADMIN_PASSWORD/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), ADMIN_PASSWORD: DEV_ADMIN_PASSWORD })).toThrow(/ADMIN_PASSWORD/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), ADMIN_PASSWORD: 'a-real-password' }).nodeEnv).toBe('production');
  });

  it('accepts a postgres URL and parses numbers and booleans', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db', PORT: '8080', WORKERS: 'false' });
    expect(config).toMatchObject({ databaseUrl: 'postgres://u@h:5432/db', port: 8080, workers: false });
  });

  it('reads TRUST_PROXY: off by default, true, a hop count or a list of proxy addresses', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,fd00::/8 , loopback' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1', 'fd00::/8', 'loopback']);
  });

  it.each(['banana', '10.0.0.0/33', '300.1.1.1', ',', '99', '10.0.0.1/8/1'])('refuses TRUST_PROXY=%s naming the variable', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY: must be false, true, a hop count/);
  });
});

describe('startupWarnings', () => {
  it('warns loudly when the development JWT secret signs tokens, and not otherwise', () => {
    const [warning, ...rest] = startupWarnings(loadConfig({}));
    expect(rest).toEqual([]);
    expect(warning).toMatch(/SECURITY WARNING: .*development JWT secret.*JWT_SECRET/);
    expect(startupWarnings(loadConfig({ JWT_SECRET: DEV_JWT_SECRET }))).toHaveLength(1);
    expect(startupWarnings(loadConfig({ JWT_SECRET: 'y'.repeat(40) }))).toEqual([]);
  });
});
