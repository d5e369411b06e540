import OAuthClient from 'intuit-oauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQboEmulator, type RunningQboEmulator } from '../emulators/qbo/emulator.js';

/**
 * Request rules from ../shared/platforms/quickbooks-online.md that the QBO emulator enforces: each test sends the
 * wrong request and expects the refusal QBO gives (see emulators/qbo/FIDELITY.md for sources and confidence).
 */

const REALM = '9130000000000011';
const MULTI = '9130000000000012';
const PLAIN = '9130000000000013';
const CLIENT_ID = 'requests-client';
const CLIENT_SECRET = 'requests-secret';
const REDIRECT_URI = 'http://127.0.0.1:1/qbo/callback';
const basic = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;

let emulator: RunningQboEmulator;

function oauthClient(): OAuthClient {
  const client = new OAuthClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, environment: 'sandbox', redirectUri: REDIRECT_URI });
  client.setAuthorizeURLs({
    authorizeEndpoint: emulator.urls.authorizeEndpoint,
    tokenEndpoint: emulator.urls.tokenEndpoint,
    revokeEndpoint: emulator.urls.revokeEndpoint,
    userInfoEndpoint: emulator.urls.userInfoEndpoint,
  });
  return client;
}

/** The consent redirect for `realmId`, as a browser would follow it. */
async function consent(realmId: string, params: Record<string, string>): Promise<URL> {
  emulator.control.authorizeAs(realmId);
  const url = new URL(emulator.urls.authorizeEndpoint);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location')!);
}

async function accessToken(realmId: string, scope = OAuthClient.scopes.Accounting as string): Promise<string> {
  const client = oauthClient();
  const callback = await consent(realmId, { client_id: CLIENT_ID, response_type: 'code', scope, redirect_uri: REDIRECT_URI, state: 's' });
  await client.createToken(callback.toString());
  return client.getToken().access_token;
}

async function api(token: string, realmId: string, path: string, body?: unknown, contentType = 'application/json') {
  const response = await fetch(`${emulator.origin}/v3/company/${realmId}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', 'Content-Type': contentType },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

async function tokenRequest(body: string, contentType: string) {
  const response = await fetch(emulator.urls.tokenEndpoint, {
    method: 'POST',
    headers: { Authorization: basic, Accept: 'application/json', 'Content-Type': contentType },
    body,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const line = { DetailType: 'SalesItemLineDetail', Amount: 10, SalesItemLineDetail: { ItemRef: { value: '11' }, Qty: 1, UnitPrice: 10 } };

beforeAll(async () => {
  emulator = await startQboEmulator({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    rateLimits: { perSecond: 10_000, perMinute: 100_000 },
    companies: [
      { realmId: REALM, companyName: 'Request Rules Inc', items: [{ id: '11', name: 'Widget', unitPrice: 10 }], customers: [{ id: '41', displayName: 'Jane Doe' }] },
      {
        realmId: PLAIN,
        companyName: 'Plain Settings Co',
        preferences: { allowShipping: false, customTxnNumbers: false, multiCurrencyEnabled: false },
        otherNames: { vendors: ['Acme Supplies'], employees: ['Pat Smith'] },
        items: [{ id: '11', name: 'Widget', unitPrice: 10 }],
      },
      {
        realmId: MULTI,
        companyName: 'Many Currencies Ltd',
        country: 'GB',
        homeCurrency: 'GBP',
        // Sales tax off: this company tests currencies, not VAT codes on lines.
        preferences: { multiCurrencyEnabled: true, usingSalesTax: false },
        items: [{ id: '11', name: 'Widget', unitPrice: 10 }],
      },
    ],
  });
});

afterAll(async () => {
  await emulator?.close();
});

describe('OAuth requests the emulator refuses', () => {
  it('an authorize request with an unknown client_id, without response_type=code, or without a scope', async () => {
    const url = new URL(emulator.urls.authorizeEndpoint);
    url.search = new URLSearchParams({ client_id: 'someone-else', response_type: 'code', scope: 'com.intuit.quickbooks.accounting', redirect_uri: REDIRECT_URI, state: 's' }).toString();
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(400);

    const noCodeType = await consent(REALM, { client_id: CLIENT_ID, response_type: 'token', scope: 'com.intuit.quickbooks.accounting', redirect_uri: REDIRECT_URI, state: 's1' });
    expect(noCodeType.searchParams.get('error')).toBe('unsupported_response_type');
    expect(noCodeType.searchParams.get('state')).toBe('s1');
    const noScope = await consent(REALM, { client_id: CLIENT_ID, response_type: 'code', redirect_uri: REDIRECT_URI, state: 's2' });
    expect(noScope.searchParams.get('error')).toBe('invalid_scope');
    expect(noScope.searchParams.get('code')).toBeNull();
  });

  it('a token request that is not form-encoded, names another redirect_uri, or an unknown grant_type', async () => {
    const callback = await consent(REALM, { client_id: CLIENT_ID, response_type: 'code', scope: 'com.intuit.quickbooks.accounting', redirect_uri: REDIRECT_URI, state: 's' });
    const code = callback.searchParams.get('code')!;
    const asJson = await tokenRequest(JSON.stringify({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI }), 'application/json');
    expect(asJson).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
    const elsewhere = await tokenRequest(new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:2/other' }).toString(), 'application/x-www-form-urlencoded');
    expect(elsewhere).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    const password = await tokenRequest(new URLSearchParams({ grant_type: 'password', username: 'a', password: 'b' }).toString(), 'application/x-www-form-urlencoded');
    expect(password).toMatchObject({ status: 400, json: { error: 'unsupported_grant_type' } });
  });

  it('an authorization code after ten minutes, and a refresh token after its 100 days', async () => {
    const late = await consent(REALM, { client_id: CLIENT_ID, response_type: 'code', scope: 'com.intuit.quickbooks.accounting', redirect_uri: REDIRECT_URI, state: 's' });
    emulator.control.advanceClock(10 * 60_000 + 1000);
    await expect(oauthClient().createToken(late.toString())).rejects.toMatchObject({ error: 'invalid_grant' });

    const client = oauthClient();
    await client.createToken((await consent(REALM, { client_id: CLIENT_ID, response_type: 'code', scope: 'com.intuit.quickbooks.accounting', redirect_uri: REDIRECT_URI, state: 's' })).toString());
    const refreshToken = client.getToken().refresh_token;
    emulator.control.advanceClock(8_726_400 * 1000 + 1000);
    await expect(oauthClient().refreshUsingToken(refreshToken)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('a revoke request without a token', async () => {
    const response = await fetch(emulator.urls.revokeEndpoint, {
      method: 'POST',
      headers: { Authorization: basic, Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify({}),
    });
    expect(response.status).toBe(400);
  });

  it('an API call with a token granted without the accounting scope answers 403 / 3100', async () => {
    const token = await accessToken(REALM, 'openid');
    const { status, json } = await api(token, REALM, '/preferences');
    expect(status).toBe(403);
    expect(json.Fault.Error[0]).toMatchObject({ code: '3100', Message: 'message=AuthorizationFailed; errorCode=003100; statusCode=403' });
  });
});

describe('Accounting API requests the emulator refuses', () => {
  let token: string;
  let multiToken: string;
  beforeAll(async () => {
    token = await accessToken(REALM);
    multiToken = await accessToken(MULTI);
  });

  it('entity paths and query entity names are case sensitive', async () => {
    const wrongCase = await api(token, REALM, '/SalesReceipt', { Line: [line] });
    expect(wrongCase.status).toBe(400);
    expect(wrongCase.json.Fault.Error[0].code).toBe('500');
    expect((await api(token, REALM, '/Customer/41')).status).toBe(400);
    const lowerEntity = await api(token, REALM, `/query?query=${encodeURIComponent('select * from customer')}`);
    expect(lowerEntity.status).toBe(400);
    expect(lowerEntity.json.Fault.Error[0].code).toBe('4000');
    expect(emulator.control.documents(REALM)).toEqual([]);
  });

  it('answers XML, not JSON, to a request without Accept: application/json', async () => {
    const response = await fetch(`${emulator.origin}/v3/company/${REALM}/preferences`, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/xml/);
    const text = await response.text();
    expect(text).toMatch(/^<\?xml[^>]*\?><IntuitResponse xmlns="http:\/\/schema\.intuit\.com\/finance\/v3" time="[^"]+"><Preferences>/);
    expect(text).toContain('<CustomTxnNumbers>true</CustomTxnNumbers>');
  });

  it('a create whose body is not JSON', async () => {
    const result = await api(token, REALM, '/salesreceipt', 'DocNumber=1', 'application/text');
    expect(result.status).toBe(400);
    expect(result.json.Fault.Error[0].code).toBe('2010');
  });

  it('a sales receipt without lines answers 2020', async () => {
    const { status, json } = await api(token, REALM, '/salesreceipt', { DocNumber: 'NO-LINES', Line: [] });
    expect(status).toBe(400);
    expect(json.Fault.Error[0]).toMatchObject({ code: '2020', element: 'Line' });
  });

  it('a refund receipt without lines answers 2020 too, and books nothing (why a refund of an amount alone needs a line)', async () => {
    const { status, json } = await api(token, REALM, '/refundreceipt', { DocNumber: 'NO-LINES-R1', DepositToAccountRef: { value: '9004' }, Line: [] });
    expect(status).toBe(400);
    expect(json.Fault.Error[0]).toMatchObject({ code: '2020', element: 'Line' });
    expect(emulator.control.documents(REALM, 'RefundReceipt').filter((r) => r.docNumber === 'NO-LINES-R1')).toEqual([]);
  });

  it('a customer display name with a colon', async () => {
    const { status, json } = await api(token, REALM, '/customer', { DisplayName: 'Acme: East' });
    expect(status).toBe(400);
    expect(json.Fault.Error[0]).toMatchObject({ code: '6000', element: 'DisplayName' });
    expect(emulator.control.documents(REALM, 'Customer')).toEqual([]);
  });

  it('company settings: shipping line when shipping is off, foreign currency when multicurrency is off, and own numbering', async () => {
    const plain = await accessToken(PLAIN);
    const shipping = { DetailType: 'SalesItemLineDetail', Amount: 5, SalesItemLineDetail: { ItemRef: { value: 'SHIPPING_ITEM_ID' } } };
    const withShipping = await api(plain, PLAIN, '/salesreceipt', { Line: [line, shipping] });
    expect(withShipping.status).toBe(400);
    expect(withShipping.json.Fault.Error[0]).toMatchObject({ code: '2500', element: 'ItemRef' });
    const foreign = await api(plain, PLAIN, '/salesreceipt', { CurrencyRef: { value: 'EUR' }, Line: [line] });
    expect(foreign.status).toBe(400);
    expect(foreign.json.Fault.Error[0].code).toBe('6000');
    // With custom transaction numbers off QBO numbers the document itself; the supplied number is not used.
    const numbered = await api(plain, PLAIN, '/salesreceipt', { DocNumber: 'SHOP-1001', Line: [line] });
    expect(numbered.status).toBe(200);
    expect(numbered.json.SalesReceipt.DocNumber).not.toBe('SHOP-1001');
    expect(emulator.control.documents(PLAIN, 'SalesReceipt')).toHaveLength(1);
  });

  it('a customer named like a vendor or an employee answers 6240', async () => {
    const plain = await accessToken(PLAIN);
    for (const name of ['acme supplies', 'Pat Smith']) {
      const { status, json } = await api(plain, PLAIN, '/customer', { DisplayName: name });
      expect(status, name).toBe(400);
      expect(json.Fault.Error[0]).toMatchObject({ code: '6240', Message: 'Duplicate Name Exists Error' });
      expect(json.Fault.Error[0].Detail).toMatch(/Another customer, vendor or employee is already using this name/);
    }
    emulator.control.addOtherName(PLAIN, 'Vendor', 'Late Vendor');
    expect((await api(plain, PLAIN, '/customer', { DisplayName: 'Late Vendor' })).status).toBe(400);
    expect((await api(plain, PLAIN, '/customer', { DisplayName: 'Acme Supplies (customer)' })).status).toBe(200);
  });

  it('a sale in another currency than its customer’s (multicurrency on)', async () => {
    const euro = await api(multiToken, MULTI, '/customer', { DisplayName: 'Euro Buyer', CurrencyRef: { value: 'EUR' } });
    expect(euro.status).toBe(200);
    const customerId = euro.json.Customer.Id as string;
    const inPounds = await api(multiToken, MULTI, '/salesreceipt', { CustomerRef: { value: customerId }, CurrencyRef: { value: 'GBP' }, Line: [line] });
    expect(inPounds.status).toBe(400);
    expect(inPounds.json.Fault.Error[0]).toMatchObject({ code: '6000', element: 'CurrencyRef' });
    const homeByDefault = await api(multiToken, MULTI, '/salesreceipt', { CustomerRef: { value: customerId }, Line: [line] });
    expect(homeByDefault.status).toBe(400);
    const inEuros = await api(multiToken, MULTI, '/salesreceipt', { CustomerRef: { value: customerId }, CurrencyRef: { value: 'EUR' }, ExchangeRate: 0.86, Line: [line] });
    expect(inEuros.status).toBe(200);
    expect(emulator.control.documents(MULTI, 'SalesReceipt')).toHaveLength(1);
    // A refund receipt is a sales form too: in its customer's currency, with the rate sent.
    const refund = (currency: string) => ({ CustomerRef: { value: customerId }, CurrencyRef: { value: currency }, ExchangeRate: 0.86, DepositToAccountRef: { value: '9004' }, Line: [line] });
    const refundInPounds = await api(multiToken, MULTI, '/refundreceipt', refund('GBP'));
    expect(refundInPounds.status).toBe(400);
    expect(refundInPounds.json.Fault.Error[0]).toMatchObject({ code: '6000', element: 'CurrencyRef' });
    const refundInEuros = await api(multiToken, MULTI, '/refundreceipt', refund('EUR'));
    expect(refundInEuros.status, JSON.stringify(refundInEuros.json)).toBe(200);
    expect(refundInEuros.json.RefundReceipt).toMatchObject({ CurrencyRef: { value: 'EUR' }, ExchangeRate: 0.86 });
  });

  it('currencies: an inactive currency, or (variant) one never added, is refused; CompanyCurrency and ExchangeRate as the XSD has them', async () => {
    emulator.control.setUnlistedCurrencies(MULTI, 'refused');
    try {
      const unlisted = await api(multiToken, MULTI, '/customer', { DisplayName: 'Franc Buyer', CurrencyRef: { value: 'CHF' } });
      expect(unlisted.status).toBe(400);
      expect(unlisted.json.Fault.Error[0]).toMatchObject({ code: '6000', element: 'CurrencyRef' });
      const added = await api(multiToken, MULTI, '/companycurrency', { Code: 'CHF' });
      expect(added.status).toBe(200);
      expect(added.json.CompanyCurrency).toMatchObject({ Code: 'CHF', Name: 'Swiss Franc', Active: true });
      expect((await api(multiToken, MULTI, '/companycurrency', { Code: 'CHF' })).json.Fault.Error[0]).toMatchObject({ code: '6240' });
      expect((await api(multiToken, MULTI, '/companycurrency', {})).json.Fault.Error[0]).toMatchObject({ code: '2020', element: 'Code' });
      expect((await api(multiToken, MULTI, '/customer', { DisplayName: 'Franc Buyer', CurrencyRef: { value: 'CHF' } })).status).toBe(200);

      emulator.control.addCurrency(MULTI, { code: 'SEK', active: false, rates: [{ asOfDate: '2026-01-01', rate: 0.08 }] });
      const inactive = await api(multiToken, MULTI, '/customer', { DisplayName: 'Krona Buyer', CurrencyRef: { value: 'SEK' } });
      expect(inactive.status).toBe(400);
      expect(inactive.json.Fault.Error[0].Detail).toContain('SEK is not active');
      const rate = await api(multiToken, MULTI, '/exchangerate?sourcecurrencycode=SEK&asofdate=2026-06-01');
      expect(rate.json.ExchangeRate).toMatchObject({ SourceCurrencyCode: 'SEK', TargetCurrencyCode: 'GBP', Rate: 0.08, AsOfDate: '2026-01-01' });
      expect((await api(multiToken, MULTI, '/exchangerate?sourcecurrencycode=SEK&asofdate=2025-06-01')).status).toBe(400);
    } finally {
      emulator.control.setUnlistedCurrencies(MULTI, 'added');
    }
    // Without multicurrency there is no currency list to add to.
    const plain = await accessToken(PLAIN);
    expect((await api(plain, PLAIN, '/companycurrency', { Code: 'CHF' })).json.Fault.Error[0]).toMatchObject({ code: '6000' });
  });

  it('deposits: a bank account has a currency, and a deposit goes only into one in the home currency or its own; (variant) foreign money into a home account converted or refused', async () => {
    const dollars = emulator.control.addAccount(MULTI, { name: 'Chase USD', type: 'Bank', currency: 'USD' });
    const euros = emulator.control.addAccount(MULTI, { name: 'Euro Float', type: 'Bank', currency: 'EUR' });
    const clearing = emulator.control.addAccount(MULTI, { name: 'Deposit Clearing', type: 'Other Current Asset' });
    expect(() => emulator.control.addAccount(MULTI, { name: 'Fees in dollars', type: 'Expense', currency: 'USD' })).toThrow(/only a bank account/);
    expect(() => emulator.control.addAccount(PLAIN, { name: 'Euro Bank', type: 'Bank', currency: 'EUR' })).toThrow(/multicurrency on/);
    // The chart answers each account's currency; the seeded Checking is in the home currency.
    const chart = await api(multiToken, MULTI, `/query?query=${encodeURIComponent("select * from Account where AccountType = 'Bank'")}`);
    expect(chart.json.QueryResponse.Account.map((a: any) => [a.Name, a.CurrencyRef.value])).toEqual(expect.arrayContaining([['Checking', 'GBP'], ['Chase USD', 'USD'], ['Euro Float', 'EUR']]));
    const deposit = (currency: string, bankId: unknown, lineAccountId: unknown = clearing.Id, extra: Record<string, unknown> = {}) => ({
      DocNumber: `PO-${currency}-${String(bankId)}`,
      CurrencyRef: { value: currency },
      DepositToAccountRef: { value: String(bankId) },
      Line: [{ DetailType: 'DepositLineDetail', Amount: 38.8, DepositLineDetail: { AccountRef: { value: String(lineAccountId) } } }],
      ...extra,
    });
    const refusal = (answer: { status: number; json: Record<string, any> }) => (expect(answer.status).toBe(400), answer.json.Fault.Error[0]);
    const accountRule = /The currency of the account must be either in home currency or the transaction currency/;

    // Pounds (home) into a dollar account, euros into a dollar account: the account is in neither.
    expect(refusal(await api(multiToken, MULTI, '/deposit', deposit('GBP', dollars.Id)))).toMatchObject({ code: '6000', element: 'DepositToAccountRef', Detail: expect.stringMatching(accountRule) });
    expect(refusal(await api(multiToken, MULTI, '/deposit', deposit('EUR', dollars.Id)))).toMatchObject({ code: '6000', element: 'DepositToAccountRef' });
    // Without a CurrencyRef the deposit is in the home currency: refused into the dollar account too.
    const { CurrencyRef: _omitted, ...homeByDefault } = deposit('GBP', dollars.Id);
    expect(refusal(await api(multiToken, MULTI, '/deposit', homeByDefault))).toMatchObject({ code: '6000', element: 'DepositToAccountRef' });
    // A line taking money out of an account in a third currency.
    expect(refusal(await api(multiToken, MULTI, '/deposit', deposit('USD', dollars.Id, euros.Id)))).toMatchObject({ code: '6000', element: 'Line.DepositLineDetail.AccountRef', Detail: expect.stringMatching(accountRule) });
    expect(emulator.control.documents(MULTI, 'Deposit')).toEqual([]);

    // Dollars into the dollar account, lines on a home account: taken, at the rate sent.
    const inDollars = await api(multiToken, MULTI, '/deposit', deposit('USD', dollars.Id, clearing.Id, { ExchangeRate: 0.8 }));
    expect(inDollars.status, JSON.stringify(inDollars.json)).toBe(200);
    expect(inDollars.json.Deposit).toMatchObject({ CurrencyRef: { value: 'USD' }, TotalAmt: 38.8, ExchangeRate: 0.8, HomeTotalAmt: 31.04 });

    // Dollars into the home-currency Checking: converted (default variant) or refused.
    const intoHome = await api(multiToken, MULTI, '/deposit', deposit('USD', '9035', clearing.Id, { ExchangeRate: 0.8 }));
    expect(intoHome.status, JSON.stringify(intoHome.json)).toBe(200);
    expect(intoHome.json.Deposit).toMatchObject({ CurrencyRef: { value: 'USD' }, HomeTotalAmt: 31.04 });
    emulator.control.setForeignDepositToHomeAccount(MULTI, 'refused');
    try {
      const refused = refusal(await api(multiToken, MULTI, '/deposit', deposit('EUR', '9035')));
      expect(refused).toMatchObject({ code: '6000', element: 'CurrencyRef', Detail: expect.stringContaining('must be in the currency of its bank account') });
      // A home-currency deposit into a home account is unaffected.
      expect((await api(multiToken, MULTI, '/deposit', deposit('GBP', '9035'))).status).toBe(200);
    } finally {
      emulator.control.setForeignDepositToHomeAccount(MULTI, 'converted');
    }
    expect(emulator.control.documents(MULTI, 'Deposit')).toHaveLength(3);

    // Without multicurrency a foreign deposit is refused like any foreign transaction.
    const plain = await accessToken(PLAIN);
    expect(refusal(await api(plain, PLAIN, '/deposit', deposit('EUR', '9035', '9035')))).toMatchObject({ code: '6000', element: 'CurrencyRef' });
  });
});

describe('updates of customers and items the emulator refuses', () => {
  const errorOf = (answer: { json: Record<string, any> }) => answer.json.Fault?.Error?.[0] as { code: string; element?: string } | undefined;

  it('an update needs the current SyncToken: none is 2020, an older one 5010 Stale Object Error, and an Id it does not have 610', async () => {
    const token = await accessToken(REALM);
    const created = (await api(token, REALM, '/customer', { DisplayName: 'Stale Sam', PrimaryEmailAddr: { Address: 'sam@example.com' } })).json.Customer;
    expect(created.SyncToken).toBe('0');

    const missing = await api(token, REALM, '/customer', { Id: created.Id, sparse: true, DisplayName: 'Sam Stale' });
    expect(missing.status).toBe(400);
    expect(errorOf(missing)).toMatchObject({ code: '2020', element: 'SyncToken' });

    const first = await api(token, REALM, '/customer', { Id: created.Id, SyncToken: '0', sparse: true, DisplayName: 'Sam Stale' });
    expect(first.status).toBe(200);
    expect(first.json.Customer).toMatchObject({ Id: created.Id, SyncToken: '1', DisplayName: 'Sam Stale', PrimaryEmailAddr: { Address: 'sam@example.com' } });

    // The same token again: someone else's write came first (here: our own), the second is refused and changes nothing.
    const stale = await api(token, REALM, '/customer', { Id: created.Id, SyncToken: '0', sparse: true, DisplayName: 'Samuel Stale' });
    expect(stale.status).toBe(400);
    expect(errorOf(stale)).toMatchObject({ code: '5010' });
    expect((await api(token, REALM, `/customer/${created.Id}`)).json.Customer).toMatchObject({ DisplayName: 'Sam Stale', SyncToken: '1' });

    expect(errorOf(await api(token, REALM, '/customer', { Id: '999999', SyncToken: '0', sparse: true, DisplayName: 'Nobody' }))).toMatchObject({ code: '610' });
  });

  it('a bookkeeper edit saved after our read makes our write with the token read stale', async () => {
    const token = await accessToken(REALM);
    const item = (await api(token, REALM, '/item', { Name: 'Race Widget', Sku: 'RACE-1', Type: 'NonInventory', UnitPrice: 5 })).json.Item;
    emulator.control.editAfterNextRead(REALM, 'Item', String(item.Id), { Description: 'Edited by the bookkeeper' });
    const read = (await api(token, REALM, `/item/${item.Id}`)).json.Item;
    expect(read.SyncToken).toBe('0');
    expect(errorOf(await api(token, REALM, '/item', { Id: item.Id, SyncToken: read.SyncToken, sparse: true, UnitPrice: 6 }))).toMatchObject({ code: '5010' });
    const again = (await api(token, REALM, `/item/${item.Id}`)).json.Item;
    const written = await api(token, REALM, '/item', { Id: item.Id, SyncToken: again.SyncToken, sparse: true, UnitPrice: 6 });
    expect(written.json.Item).toMatchObject({ UnitPrice: 6, Description: 'Edited by the bookkeeper', Name: 'Race Widget', SyncToken: '2' });
  });

  it('sparse changes only what is sent; a full update clears what it omits; names stay unique among the others', async () => {
    const token = await accessToken(REALM);
    const kim = (await api(token, REALM, '/customer', { DisplayName: 'Kim Sparse', GivenName: 'Kim', Notes: 'pays late' })).json.Customer;
    const sparse = (await api(token, REALM, '/customer', { Id: kim.Id, SyncToken: kim.SyncToken, sparse: true, FamilyName: 'Sparse' })).json.Customer;
    expect(sparse).toMatchObject({ DisplayName: 'Kim Sparse', GivenName: 'Kim', FamilyName: 'Sparse', Notes: 'pays late' });
    const full = (await api(token, REALM, '/customer', { Id: kim.Id, SyncToken: sparse.SyncToken, DisplayName: 'Kim Sparse' })).json.Customer;
    expect(full.Notes).toBeUndefined();
    expect(full.GivenName).toBeUndefined();

    // Jane Doe (41) has her name: taken, 6240; Kim's own name is no conflict with herself.
    expect(errorOf(await api(token, REALM, '/customer', { Id: kim.Id, SyncToken: full.SyncToken, sparse: true, DisplayName: 'jane doe' }))).toMatchObject({ code: '6240' });
    expect((await api(token, REALM, '/customer', { Id: kim.Id, SyncToken: full.SyncToken, sparse: true, DisplayName: 'Kim Sparse' })).status).toBe(200);
    expect(errorOf(await api(token, REALM, '/item', { Id: '11', SyncToken: '0', sparse: true, Name: 'Race Widget' }))).toMatchObject({ code: '6240' });
  });
});
