import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../bot/config.js';

describe('configuration', () => {
  it('defaults to the embedded store on port 3978 in local mode', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ PORT: 3978, DATA_DIR: './.data', STORE: 'sqlite', localMode: true, SEED_DEMO: true });
  });

  const problemsOf = (env: Record<string, string>) => {
    try {
      parseConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).problems.join('\n');
    }
    throw new Error('expected the configuration to be refused');
  };

  it('lists every malformed variable at once', () => {
    const problems = problemsOf({ PORT: 'eighty', STORE: 'mongodb', GRAPH_BASE_URL: 'not a url' });
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/STORE/);
    expect(problems).toMatch(/GRAPH_BASE_URL/);
  });

  it('lists every missing companion setting at once', () => {
    const problems = problemsOf({ BOT_ID: 'abc', STORE: 'sharepoint' });
    expect(problems).toMatch(/BOT_PASSWORD/);
    expect(problems).toMatch(/BOT_TENANT_ID/);
    expect(problems).toMatch(/SHAREPOINT_SITE_ID/);
  });

  it('refuses a production configuration without bot credentials', () => {
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/BOT_ID is required in production/);
  });

  it('leaves local mode once credentials are set, and does not seed demo data in production', () => {
    const config = parseConfig({ NODE_ENV: 'production', BOT_ID: 'id', BOT_PASSWORD: 'pw', BOT_TENANT_ID: 'tid' });
    expect(config.localMode).toBe(false);
    expect(config.SEED_DEMO).toBe(false);
  });
});
