import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../security/redact-secrets.js';

describe('details bound for a browser carry no credential', () => {
  it('removes bearer tokens, OAuth fields in queries and JSON, and Shopify tokens, and keeps the rest', () => {
    const cases: [string, string][] = [
      ['HTTP 401 Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc.defghijk body', 'eyJhbGciOiJIUzI1NiJ9'],
      ['grant_type=authorization_code&code=AB11-leaked-code&redirect_uri=https://x', 'AB11-leaked-code'],
      ['{"access_token":"shpat_1234567890abcdef","scope":"read_orders"}', 'shpat_1234567890abcdef'],
      ['{"refresh_token": "RT4-secret-value", "x_refresh_token_expires_in": 8726400}', 'RT4-secret-value'],
      ['token shpat_0123456789abcdef0123 rejected', 'shpat_0123456789abcdef0123'],
    ];
    for (const [text, secret] of cases) {
      const shown = redactSecrets(text);
      expect(shown).not.toContain(secret);
      expect(shown).toContain('[redacted]');
    }
    expect(redactSecrets('SKU ABC-1 is unknown (QuickBooks error code 610)')).toBe('SKU ABC-1 is unknown (QuickBooks error code 610)');
    expect(redactSecrets('grant_type=authorization_code')).toBe('grant_type=authorization_code');
  });
});
