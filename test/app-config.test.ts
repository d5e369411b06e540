import { describe, expect, it } from 'vitest';
import { appConfigFromEnv, ConfigError } from '../runtime/app-config.js';

const secrets = {
  SHOPIFY_API_KEY: 'key',
  SHOPIFY_API_SECRET: 'secret',
  QBO_CLIENT_ID: 'id',
  QBO_CLIENT_SECRET: 'qsecret',
  LEDGERBRIDGE_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
};

describe('configuration from the environment', () => {
  it('names the first missing secret and points to the README', () => {
    const { SHOPIFY_API_SECRET: _omitted, ...rest } = secrets;
    expect(() => appConfigFromEnv(rest)).toThrow(ConfigError);
    expect(() => appConfigFromEnv(rest)).toThrow('SHOPIFY_API_SECRET is not set. See "Configuration" in README.md.');
  });

  it('requires an operator token in production and takes every documented variable', () => {
    expect(() => appConfigFromEnv({ ...secrets, NODE_ENV: 'production' })).toThrow('OPERATOR_TOKEN is not set');
    const config = appConfigFromEnv({
      ...secrets,
      NODE_ENV: 'production',
      OPERATOR_TOKEN: 'op',
      DATABASE_URL: 'postgres://db/ledgerbridge',
      TEMPORAL_ADDRESS: 'temporal:7233',
      TASK_QUEUE: 'books',
      PUBLIC_BASE_URL: 'https://lb.example.com/',
      SMTP_URL: 'smtp://mail:25',
      QBO_ENVIRONMENT: 'sandbox',
      RESUME_RATE_PER_SECOND: '2',
      PORT: '8080',
    });
    expect(config).toMatchObject({
      operatorToken: 'op',
      databaseUrl: 'postgres://db/ledgerbridge',
      temporalAddress: 'temporal:7233',
      taskQueue: 'books',
      publicBaseUrl: 'https://lb.example.com',
      apiPort: 8080,
      resumeRatePerSecond: 2,
      mail: { delivery: { kind: 'smtp', url: 'smtp://mail:25' } },
      qbo: { clientId: 'id', environment: 'sandbox' },
    });
    expect(config.encryptionKey.equals(Buffer.alloc(32, 1))).toBe(true);
  });

  it('fills development defaults: embedded database, a generated operator token, links to the local API', () => {
    const config = appConfigFromEnv(secrets);
    expect(config.databaseUrl).toBeNull();
    expect(config.operatorToken.length).toBeGreaterThanOrEqual(20);
    expect(config.publicBaseUrl).toBe('http://127.0.0.1:3000');
    expect(config.qbo.environment).toBe('production');
    expect(config.mail.delivery.kind).toBe('outbox');
  });
});
