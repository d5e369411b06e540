import OAuthClient from 'intuit-oauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQboEmulator, type RunningQboEmulator } from '../emulators/qbo/emulator.js';

const CLIENT_ID = 'test-client';
const CLIENT_SECRET = 'test-secret';
const REDIRECT_URI = 'http://127.0.0.1:1/qbo/callback';
const MAIN = '4620816365000000001';
const LIMITED = '4620816365000000002';

let emulator: RunningQboEmulator;

function oauthClient(): OAuthClient {
  const client = new OAuthClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, environment: 'sandbox', redirectUri: REDIRECT_URI });
  const urls = emulator.urls;
  client.setAuthorizeURLs({
    authorizeEndpoint: urls.authorizeEndpoint,
    tokenEndpoint: urls.tokenEndpoint,
    revokeEndpoint: urls.revokeEndpoint,
    userInfoEndpoint: urls.userInfoEndpoint,
  });
  return client;
}

/** Walks the consent page like a browser would and returns the callback URL. */
async function authorize(client: OAuthClient, realmId: string, state = 'csrf-state-1'): Promise<string> {
  emulator.control.authorizeAs(realmId);
  const response = await fetch(client.authorizeUri({ scope: [OAuthClient.scopes.Accounting], state }), { redirect: 'manual' });
  expect(response.status).toBe(302);
  return response.headers.get('location')!;
}

async function connect(realmId: string): Promise<{ accessToken: string; refreshToken: string }> {
  const client = oauthClient();
  await client.createToken(await authorize(client, realmId));
  return { accessToken: client.getToken().access_token, refreshToken: client.getToken().refresh_token };
}

async function api(realmId: string, token: string, path: string, init: { method?: string; body?: unknown; contentType?: string } = {}) {
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  const response = await fetch(`${emulator.origin}/v3/company/${realmId}${path}`, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', 'Content-Type': init.contentType ?? 'application/json' },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: text.startsWith('{') ? JSON.parse(text) : null };
}

async function query(token: string, statement: string) {
  return api(MAIN, token, `/query?query=${encodeURIComponent(statement)}&minorversion=75`);
}

beforeAll(async () => {
  emulator = await startQboEmulator({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    refreshTokenGraceSeconds: 3600,
    // Real limits (10/s, 500/min) are switched on in the rate-limit tests only; elsewhere they would throttle the tests.
    rateLimits: { perSecond: 10_000, perMinute: 100_000 },
    companies: [
      {
        realmId: MAIN,
        companyName: 'Emulated Books Ltd',
        items: [
          { id: '11', name: 'Widget', sku: 'WID-1', unitPrice: 10 },
          { id: '12', name: 'Gadget', sku: 'GAD-1', unitPrice: 25 },
          { id: '13', name: 'Widget XL', sku: 'WID-2' },
          { id: '14', name: 'Old lamp', sku: 'LAMP', active: false },
        ],
        taxCodes: [{ id: '21', name: 'Standard', rates: [{ id: '31', name: 'VAT', ratePercent: 20 }] }],
        customers: [
          { id: '41', displayName: "Dara O'Brien", email: 'dara@example.com' },
          { id: '42', displayName: 'Jane Doe', email: 'jane@example.com' },
        ],
      },
      { realmId: LIMITED, companyName: 'Throttled Co' },
    ],
  });
});

afterAll(async () => {
  await emulator?.close();
});

describe('QBO emulator OAuth with the real intuit-oauth client', () => {
  it('round-trips authorize → redirect → createToken and returns the realmId', async () => {
    const client = oauthClient();
    const callback = new URL(await authorize(client, MAIN, 'state-xyz'));
    expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('state')).toBe('state-xyz');
    expect(callback.searchParams.get('realmId')).toBe(MAIN);
    expect(callback.searchParams.get('code')).toBeTruthy();

    const response = await client.createToken(callback.toString());
    const json = response.getJson();
    expect(json).toMatchObject({ token_type: 'bearer', expires_in: 3600, x_refresh_token_expires_in: 8_726_400 });
    expect(client.getToken().realmId).toBe(MAIN);
    expect(client.isAccessTokenValid()).toBe(true);

    const userInfo = await client.getUserInfo();
    expect(userInfo.getJson()).toMatchObject({ email: 'owner@example.com' });

    // Codes are single use.
    await expect(oauthClient().createToken(callback.toString())).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('redirects with error=access_denied when the person refuses', async () => {
    emulator.control.denyNextAuthorizations(1);
    const callback = new URL(await authorize(oauthClient(), MAIN, 'st'));
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('code')).toBeNull();
  });

  it('rejects wrong client credentials on the token endpoint', async () => {
    const client = oauthClient();
    const callback = await authorize(client, MAIN);
    const impostor = new OAuthClient({ clientId: CLIENT_ID, clientSecret: 'wrong', environment: 'sandbox', redirectUri: REDIRECT_URI });
    await expect(impostor.createToken(callback)).rejects.toMatchObject({ error: 'invalid_client' });
  });

  it('rotates refresh tokens, keeps the previous one working for the grace period, then answers invalid_grant', async () => {
    const { refreshToken: first } = await connect(MAIN);
    const before = emulator.control.refreshCount(MAIN);
    const client = oauthClient();

    const second = (await client.refreshUsingToken(first)).getJson().refresh_token as string;
    expect(second).not.toBe(first);
    expect(emulator.control.refreshCount(MAIN)).toBe(before + 1);

    // A process that refreshed but crashed before saving still holds `first`: it must keep working.
    const third = (await client.refreshUsingToken(first)).getJson();
    expect(third.access_token).toBeTruthy();
    expect(emulator.control.refreshCount(MAIN)).toBe(before + 2);

    emulator.control.advanceClock(3601 * 1000);
    await expect(client.refreshUsingToken(first)).rejects.toMatchObject({ error: 'invalid_grant' });
    const fourth = (await client.refreshUsingToken(second)).getJson();
    expect(fourth.refresh_token).toBeTruthy();
    expect(emulator.control.refreshCount(MAIN)).toBe(before + 3);
  });

  it('revoke kills both tokens: refresh gets invalid_grant and the API answers 401 3200', async () => {
    const { accessToken, refreshToken } = await connect(MAIN);
    expect((await api(MAIN, accessToken, `/companyinfo/${MAIN}`)).status).toBe(200);
    await oauthClient().revoke({ refresh_token: refreshToken });
    await expect(oauthClient().refreshUsingToken(refreshToken)).rejects.toMatchObject({ error: 'invalid_grant' });
    const denied = await api(MAIN, accessToken, `/companyinfo/${MAIN}`);
    expect(denied.status).toBe(401);
    expect(denied.json.fault.error[0]).toMatchObject({ code: '3200' });
    expect(denied.json.fault.type).toBe('AUTHENTICATION');
  });

  it('expired access tokens answer 401 with the Fault envelope when asked for it; wrong realm answers code 100', async () => {
    const { accessToken } = await connect(MAIN);
    emulator.control.expireAccessTokens(MAIN);
    emulator.control.setAuthFaultEnvelope('Fault');
    try {
      const expired = await api(MAIN, accessToken, '/preferences');
      expect(expired.status).toBe(401);
      expect(expired.json.Fault).toMatchObject({ type: 'AuthenticationFault', Error: [{ code: '3200' }] });
      expect(expired.json.Fault.Error[0].Detail).toMatch(/Token expired/);
    } finally {
      emulator.control.setAuthFaultEnvelope('fault');
    }
    const fresh = await connect(MAIN);
    const wrongRealm = await api(LIMITED, fresh.accessToken, '/preferences');
    expect(wrongRealm.status).toBe(401);
    expect(wrongRealm.json.fault.error[0].code).toBe('100');
  });
});

describe('QBO emulator Accounting API', () => {
  let token: string;
  beforeAll(async () => {
    token = (await connect(MAIN)).accessToken;
  });

  it('answers companyinfo and preferences wrapped, with intuit_tid', async () => {
    const info = await api(MAIN, token, `/companyinfo/${MAIN}?minorversion=75`);
    expect(info.status).toBe(200);
    expect(info.headers.get('intuit_tid')).toBeTruthy();
    expect(info.json.CompanyInfo.CompanyName).toBe('Emulated Books Ltd');
    expect(typeof info.json.time).toBe('string');
    const prefs = await api(MAIN, token, '/preferences');
    expect(prefs.json.Preferences.SalesFormsPrefs).toMatchObject({ CustomTxnNumbers: true, AllowShipping: true });
  });

  it('supports the restricted query grammar', async () => {
    const and = await query(token, "select * from Item where Sku = 'WID-1' and Name = 'Widget'");
    expect(and.json.QueryResponse.Item.map((i: { Id: string }) => i.Id)).toEqual(['11']);

    const inList = await query(token, "SELECT * FROM Item WHERE Id IN ('11', '12', '14')");
    // Inactive items are left out unless the query filters on Active.
    expect(inList.json.QueryResponse.Item.map((i: { Id: string }) => i.Id)).toEqual(['11', '12']);
    const withInactive = await query(token, "select * from Item where Id IN ('11', '14') AND Active IN (true, false)");
    expect(withInactive.json.QueryResponse.Item.map((i: { Id: string }) => i.Id)).toEqual(['11', '14']);

    const like = await query(token, "select * from Item where Name LIKE 'Widget%' ORDERBY Name DESC");
    expect(like.json.QueryResponse.Item.map((i: { Name: string }) => i.Name)).toEqual(['Widget XL', 'Widget']);

    const escaped = await query(token, "select * from Customer where DisplayName = 'Dara O\\'Brien'");
    expect(escaped.json.QueryResponse.Customer[0].Id).toBe('41');

    const byEmail = await query(token, "select * from Customer where PrimaryEmailAddr = 'jane@example.com'");
    expect(byEmail.json.QueryResponse.Customer[0].DisplayName).toBe('Jane Doe');

    const counted = await query(token, 'select count(*) from Item');
    expect(counted.json.QueryResponse).toEqual({ totalCount: 3 });

    const paged = await query(token, 'select * from Item STARTPOSITION 2 MAXRESULTS 1');
    expect(paged.json.QueryResponse).toMatchObject({ startPosition: 2, maxResults: 1, Item: [{ Id: '12' }] });

    const none = await query(token, "select * from SalesReceipt where DocNumber = 'nope'");
    expect(none.json.QueryResponse).toEqual({});

    const posted = await api(MAIN, token, '/query', { body: "select * from TaxCode where Name = 'Standard'", contentType: 'application/text' });
    expect(posted.json.QueryResponse.TaxCode[0].SalesTaxRateList.TaxRateDetail[0].TaxRateRef.value).toBe('31');
  });

  it('rejects OR, projections and unknown entities with a parser fault', async () => {
    for (const statement of [
      "select * from Item where Name = 'Widget' OR Name = 'Gadget'",
      'select Name from Item',
      'select * from Unicorn',
    ]) {
      const result = await query(token, statement);
      expect(result.status, statement).toBe(400);
      expect(result.json.Fault.Error[0].code, statement).toBe('4000');
    }
  });

  it('validates writes with QBO fault codes', async () => {
    const line = { DetailType: 'SalesItemLineDetail', Amount: 20, SalesItemLineDetail: { ItemRef: { value: '11' }, Qty: 2, UnitPrice: 10 } };
    const cases: { body: unknown; path: string; code: string }[] = [
      { path: '/salesreceipt', body: { DocNumber: 'A'.repeat(22), Line: [line] }, code: '2050' },
      { path: '/salesreceipt', body: { PrivateNote: 'x'.repeat(4001), Line: [line] }, code: '2050' },
      { path: '/salesreceipt', body: { Line: [{ ...line, Amount: 21 }] }, code: '6070' },
      { path: '/salesreceipt', body: { Line: [{ ...line, SalesItemLineDetail: { ...line.SalesItemLineDetail, ItemRef: { value: '14' } } }] }, code: '610' },
      { path: '/salesreceipt', body: { Line: [{ ...line, SalesItemLineDetail: { ...line.SalesItemLineDetail, ItemRef: { value: '999' } } }] }, code: '2500' },
      { path: '/salesreceipt', body: { CustomerRef: { value: '999' }, Line: [line] }, code: '2500' },
      { path: '/customer', body: { DisplayName: 'jane doe' }, code: '6240' },
      { path: '/customer', body: { DisplayName: 'N'.repeat(501) }, code: '2050' },
    ];
    for (const { path, body, code } of cases) {
      const result = await api(MAIN, token, path, { body });
      expect(result.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(result.json.Fault.type).toBe('ValidationFault');
      expect(result.json.Fault.Error[0].code, JSON.stringify(body).slice(0, 80)).toBe(code);
    }
    expect(emulator.control.documents(MAIN)).toEqual([]);
  });

  it('rejects a duplicate DocNumber with 6140 unless include=allowduplicatedocnum', async () => {
    const receipt = { DocNumber: 'DUP-1', Line: [{ DetailType: 'SalesItemLineDetail', Amount: 10, SalesItemLineDetail: { ItemRef: { value: '11' }, Qty: 1, UnitPrice: 10 } }] };
    expect((await api(MAIN, token, '/salesreceipt', { body: receipt })).status).toBe(200);
    const duplicate = await api(MAIN, token, '/salesreceipt', { body: receipt });
    expect(duplicate.status).toBe(400);
    expect(duplicate.json.Fault.Error[0]).toMatchObject({ code: '6140', Message: 'Duplicate Document Number Error' });
    expect((await api(MAIN, token, '/salesreceipt?include=allowduplicatedocnum', { body: receipt })).status).toBe(200);
    expect(emulator.control.documents(MAIN, 'SalesReceipt').filter((d) => d.docNumber === 'DUP-1')).toHaveLength(2);
  });

  it('replays a repeated requestid without writing again', async () => {
    const body = { DisplayName: 'Replay Customer' };
    const first = await api(MAIN, token, '/customer?requestid=req-replay-1', { body });
    const second = await api(MAIN, token, '/customer?requestid=req-replay-1', { body });
    expect(first.status).toBe(200);
    expect(second.json).toEqual(first.json);
    expect(emulator.control.documents(MAIN, 'Customer').filter((d) => d.record.DisplayName === 'Replay Customer')).toHaveLength(1);
    expect(emulator.control.requestLog().filter((r) => r.requestId === 'req-replay-1').map((r) => r.outcome)).toEqual(['answered', 'replayed']);
  });

  it('drops the connection after the write when asked to', async () => {
    emulator.control.injectFaults({ dropNext: 1 });
    const body = { DisplayName: 'Dropped Customer' };
    await expect(api(MAIN, token, '/customer?requestid=req-drop-1', { body })).rejects.toThrow();
    expect(emulator.control.documents(MAIN, 'Customer').filter((d) => d.record.DisplayName === 'Dropped Customer')).toHaveLength(1);
    const retried = await api(MAIN, token, '/customer?requestid=req-drop-1', { body });
    expect(retried.json.Customer.DisplayName).toBe('Dropped Customer');
    expect(emulator.control.documents(MAIN, 'Customer').filter((d) => d.record.DisplayName === 'Dropped Customer')).toHaveLength(1);
  });

  it('drops the answers of the next writes of one entity only, after writing them', async () => {
    emulator.control.dropNextWrites('Customer', 1);
    // A read and a write of another entity are answered meanwhile.
    expect((await api(MAIN, token, '/preferences')).status).toBe(200);
    const receipt = { DocNumber: 'DROP-W-1', Line: [{ DetailType: 'SalesItemLineDetail', Amount: 10, SalesItemLineDetail: { ItemRef: { value: '11' }, Qty: 1, UnitPrice: 10 } }] };
    expect((await api(MAIN, token, '/salesreceipt', { body: receipt })).status).toBe(200);
    await expect(api(MAIN, token, '/customer', { body: { DisplayName: 'Written Unanswered' } })).rejects.toThrow();
    expect(emulator.control.documents(MAIN, 'Customer').filter((d) => d.record.DisplayName === 'Written Unanswered')).toHaveLength(1);
    expect((await api(MAIN, token, '/customer', { body: { DisplayName: 'Answered Again' } })).status).toBe(200);
  });

  it('fails the next call with an injected 503 before doing anything', async () => {
    emulator.control.injectFaults({ failNext: 1, failStatus: 503 });
    const failed = await api(MAIN, token, '/customer', { body: { DisplayName: 'Never Written' } });
    expect(failed.status).toBe(503);
    expect(emulator.control.documents(MAIN, 'Customer').some((d) => d.record.DisplayName === 'Never Written')).toBe(false);
    expect((await api(MAIN, token, '/preferences')).status).toBe(200);
  });
});

describe('QBO emulator rate limits', () => {
  beforeAll(() => {
    emulator.control.setRateLimits({ perSecond: 10, perMinute: 500 });
  });
  afterAll(() => {
    emulator.control.setRateLimits({ perSecond: 10_000, perMinute: 100_000 });
  });

  it('answers 429 / 3001 (XML, no Retry-After, as production does) beyond 10 requests per second per realm, and recovers', async () => {
    const { accessToken } = await connect(LIMITED);
    const other = (await connect(MAIN)).accessToken;
    emulator.control.advanceClock(61_000); // empty every realm's windows
    const results = await Promise.all(Array.from({ length: 12 }, () => api(LIMITED, accessToken, '/preferences')));
    const throttled = results.filter((r) => r.status === 429);
    expect(results.filter((r) => r.status === 200).length).toBeLessThanOrEqual(10);
    expect(throttled.length).toBeGreaterThanOrEqual(2);
    expect(throttled[0]!.text).toContain('<Fault type="SERVICE"><Error code="3001"><Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message>');
    expect(throttled[0]!.headers.get('retry-after')).toBeNull();
    // Other realms are not affected.
    expect((await api(MAIN, other, '/preferences')).status).toBe(200);
    emulator.control.advanceClock(1001);
    expect((await api(LIMITED, accessToken, '/preferences')).status).toBe(200);
  });

  it('enforces the per-minute limit and forced throttles (JSON and XML)', async () => {
    const { accessToken } = await connect(LIMITED);
    emulator.control.advanceClock(61_000);
    emulator.control.setRateLimits({ perSecond: 1000, perMinute: 5 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await api(LIMITED, accessToken, '/preferences')).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    } finally {
      emulator.control.setRateLimits({ perSecond: 10, perMinute: 500 });
      emulator.control.advanceClock(61_000);
    }
    emulator.control.throttleNext(1);
    const xml = await api(LIMITED, accessToken, '/preferences');
    expect(xml.status).toBe(429);
    expect(xml.text).toContain('<Error code="3001">');
    expect(xml.headers.get('retry-after')).toBeNull();
    // The JSON envelope and a Retry-After remain playable, for clients that must cope with either.
    emulator.control.setThrottleBodyFormat('json');
    emulator.control.setThrottleRetryAfter(60);
    emulator.control.throttleNext(1);
    const json = await api(LIMITED, accessToken, '/preferences');
    emulator.control.setThrottleBodyFormat('xml');
    emulator.control.setThrottleRetryAfter(null);
    expect(json.json.Fault.Error[0]).toMatchObject({ code: '3001', Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429' });
    expect(json.headers.get('retry-after')).toBe('60');
  });
});

describe('QBO emulator control API over HTTP', () => {
  it('deactivates items and reports documents and refresh counts', async () => {
    const added = await fetch(`${emulator.origin}/_emulator/realms/${LIMITED}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Control item', sku: 'CTL' }),
    }).then((r) => r.json() as Promise<any>);
    expect(added.Active).toBe(true);
    const deactivated = await fetch(`${emulator.origin}/_emulator/realms/${LIMITED}/items/${added.Id}/deactivate`, { method: 'POST' }).then((r) => r.json() as Promise<any>);
    expect(deactivated.Active).toBe(false);
    const faults = await fetch(`${emulator.origin}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: 0, throttleNext: 0 }),
    }).then((r) => r.json() as Promise<any>);
    expect(faults.throttleNext).toBe(0);
    const documents = await fetch(`${emulator.origin}/_emulator/realms/${MAIN}/documents?entity=SalesReceipt`).then((r) => r.json() as Promise<any>);
    expect(documents.length).toBe(emulator.control.documents(MAIN, 'SalesReceipt').length);
    const refresh = await fetch(`${emulator.origin}/_emulator/realms/${MAIN}/refresh-count`).then((r) => r.json() as Promise<any>);
    expect(refresh.refreshCount).toBe(emulator.control.refreshCount(MAIN));
  });
});
