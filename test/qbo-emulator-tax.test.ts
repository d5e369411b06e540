import OAuthClient from 'intuit-oauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQboEmulator, type QboSeedCompany, type RunningQboEmulator } from '../emulators/qbo/emulator.js';
import { createQboPlatform, qboEndpointsAt } from '../platforms/qbo/qbo-platform.js';

/**
 * The emulator's tax rules, held to what QuickBooks Online does (emulators/qbo/FIDELITY-tax.md): US lines take
 * TAX/NON only (6100), other countries a tax code on every line (6000 "…have a VAT rate…"), and the tax is the
 * emulator's own sum over its rates — unless the client sends a TotalTax, which overrides it under the variant played.
 */
const CLIENT_ID = 'tax-client';
const CLIENT_SECRET = 'tax-secret';
const US = '4620816365100000001';
const GB = '4620816365100000002';
const CA = '4620816365100000003';
const AU = '4620816365100000004';
const US_AUTOMATED = '4620816365100000005';
const GB_NO_VAT = '4620816365100000006';

const items = [{ id: '11', name: 'Widget', sku: 'WID-1' }];
const companies: QboSeedCompany[] = [
  {
    realmId: US,
    companyName: 'US Books',
    country: 'US',
    items,
    taxCodes: [{ id: '21', name: 'California', rates: [{ id: '31', name: 'CA State', ratePercent: 7.25 }, { id: '32', name: 'Local', ratePercent: 1.25 }] }],
  },
  {
    realmId: GB,
    companyName: 'UK Books',
    country: 'GB',
    homeCurrency: 'GBP',
    items,
    taxCodes: [
      { id: '21', name: '20.0% S', rates: [{ id: '31', name: 'VAT 20', ratePercent: 20 }] },
      { id: '22', name: '0.0% Z', rates: [] },
      { id: '23', name: '5.0% R', rates: [{ id: '33', name: 'VAT 5', ratePercent: 5 }] },
    ],
  },
  { realmId: CA, companyName: 'CA Books', country: 'CA', homeCurrency: 'CAD', items, taxCodes: [{ id: '21', name: 'HST ON', rates: [{ id: '31', name: 'HST', ratePercent: 13 }] }] },
  { realmId: AU, companyName: 'AU Books', country: 'AU', homeCurrency: 'AUD', items, taxCodes: [{ id: '21', name: 'GST', rates: [{ id: '31', name: 'GST', ratePercent: 10 }] }] },
  {
    realmId: US_AUTOMATED,
    companyName: 'US Automated',
    country: 'US',
    preferences: { partnerTaxEnabled: true, automatedSalesTaxPercent: 9.5 },
    items,
    taxCodes: [{ id: '21', name: 'Wrong', rates: [{ id: '31', name: 'Wrong', ratePercent: 1 }] }],
  },
  { realmId: GB_NO_VAT, companyName: 'UK not VAT registered', country: 'GB', homeCurrency: 'GBP', preferences: { usingSalesTax: false }, items },
];

let emulator: RunningQboEmulator;
const tokens = new Map<string, string>();

async function connect(realmId: string): Promise<string> {
  const client = new OAuthClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, environment: 'sandbox', redirectUri: 'http://127.0.0.1:1/cb' });
  client.setAuthorizeURLs({
    authorizeEndpoint: emulator.urls.authorizeEndpoint,
    tokenEndpoint: emulator.urls.tokenEndpoint,
    revokeEndpoint: emulator.urls.revokeEndpoint,
    userInfoEndpoint: emulator.urls.userInfoEndpoint,
  });
  emulator.control.authorizeAs(realmId);
  const consent = await fetch(client.authorizeUri({ scope: [OAuthClient.scopes.Accounting], state: 's' }), { redirect: 'manual' });
  await client.createToken(consent.headers.get('location')!);
  return client.getToken().access_token;
}

async function api(realmId: string, path: string, body?: unknown) {
  const response = await fetch(`${emulator.origin}/v3/company/${realmId}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${tokens.get(realmId)}`, Accept: 'application/json', 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as any };
}

const SHIPPING_TAXED = { DetailType: 'SalesItemLineDetail', Amount: 10, SalesItemLineDetail: { ItemRef: { value: 'SHIPPING_ITEM_ID' }, TaxCodeRef: { value: 'TAX' } } };

function line(amount: number, taxCode?: string, extra: Record<string, unknown> = {}) {
  return {
    DetailType: 'SalesItemLineDetail',
    Amount: amount,
    SalesItemLineDetail: { ItemRef: { value: '11' }, Qty: 1, UnitPrice: amount, ...(taxCode ? { TaxCodeRef: { value: taxCode } } : {}), ...extra },
  };
}

beforeAll(async () => {
  emulator = await startQboEmulator({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, rateLimits: { perSecond: 10_000, perMinute: 100_000 }, companies });
  for (const company of companies) tokens.set(company.realmId, await connect(company.realmId));
});

afterAll(async () => {
  await emulator?.close();
});

describe('QuickBooks Online emulator: tax the way each kind of company works', () => {
  it('CompanyInfo and Preferences show each company its country and tax preferences', async () => {
    expect((await api(US, `/companyinfo/${US}`)).json.CompanyInfo.Country).toBe('US');
    expect((await api(GB, `/companyinfo/${GB}`)).json.CompanyInfo.Country).toBe('GB');
    expect((await api(US, '/preferences')).json.Preferences.TaxPrefs).toEqual({ UsingSalesTax: true, PartnerTaxEnabled: false });
    expect((await api(US_AUTOMATED, '/preferences')).json.Preferences.TaxPrefs).toMatchObject({ PartnerTaxEnabled: true });
    expect((await api(GB_NO_VAT, '/preferences')).json.Preferences.TaxPrefs).toMatchObject({ UsingSalesTax: false });
  });

  it('a US company refuses tax code ids on lines with 6100, one error per line, and writes nothing', async () => {
    const before = emulator.control.documents(US).length;
    const refused = await api(US, '/salesreceipt', { Line: [line(10, '21'), line(5, 'TAX'), line(4, '8')], TxnTaxDetail: { TxnTaxCodeRef: { value: '21' } } });
    expect(refused.status).toBe(400);
    expect(refused.json.Fault.Error).toEqual([
      { Message: 'Invalid Line TaxCode in the request', Detail: 'Valid line TaxCodes for US should be TAX or NON. Supplied value: 21', code: '6100', element: 'Line.SalesItemLineDetail.TaxCodeRef' },
      { Message: 'Invalid Line TaxCode in the request', Detail: 'Valid line TaxCodes for US should be TAX or NON. Supplied value: 8', code: '6100', element: 'Line.SalesItemLineDetail.TaxCodeRef' },
    ]);
    expect(emulator.control.documents(US)).toHaveLength(before);
  });

  it('a US company taxes TAX lines at the sale tax code rate, rounded once per rate', async () => {
    const booked = await api(US, '/salesreceipt', {
      Line: [line(100, 'TAX'), line(20, 'NON'), SHIPPING_TAXED],
      TxnTaxDetail: { TxnTaxCodeRef: { value: '21' } },
    });
    expect(booked.status).toBe(200);
    // The taxable 110.00 (line and shipping) at each of the code's rates, rounded per rate: 7.98 + 1.38; NON is not taxed.
    expect(booked.json.SalesReceipt).toMatchObject({ TotalAmt: 139.36, TxnTaxDetail: { TxnTaxCodeRef: { value: '21' }, TotalTax: 9.36 } });
    expect(booked.json.SalesReceipt.TxnTaxDetail.TaxLine.map((t: any) => [t.TaxLineDetail.TaxRateRef.value, t.Amount, t.TaxLineDetail.NetAmountTaxable])).toEqual([
      ['31', 7.98, 110],
      ['32', 1.38, 110],
    ]);
    expect(booked.json.SalesReceipt.GlobalTaxCalculation).toBeUndefined();
  });

  it('with automated sales tax QuickBooks works the rate out itself, whatever code the client sends', async () => {
    const booked = await api(US_AUTOMATED, '/salesreceipt', { Line: [line(200, 'TAX')], TxnTaxDetail: { TxnTaxCodeRef: { value: '21' } } });
    expect(booked.json.SalesReceipt).toMatchObject({ TotalAmt: 219, TxnTaxDetail: { TotalTax: 19 } });
    expect(booked.json.SalesReceipt.TxnTaxDetail.TxnTaxCodeRef).toBeUndefined();
  });

  it('a TotalTax the client sends overrides the computed tax; the shipping tax is inside it only with ShippingTaxIncludedInTotalTax', async () => {
    const sale = (extra: Record<string, unknown>) => ({ Line: [line(100, 'TAX'), SHIPPING_TAXED], TxnTaxDetail: { TxnTaxCodeRef: { value: '21' }, TotalTax: 9.35 }, ...extra });
    // Computed: 110.00 at 7.25 % and 1.25 % = 7.98 + 1.38 = 9.36; the client says 9.35, the whole tax.
    const whole = (await api(US, '/salesreceipt', sale({ ShippingTaxIncludedInTotalTax: true }))).json.SalesReceipt;
    expect(whole).toMatchObject({ TotalAmt: 119.35, TxnTaxDetail: { TotalTax: 9.35 } });
    // Prorated across the code's rates; the first keeps the difference from what QuickBooks computed.
    expect(whole.TxnTaxDetail.TaxLine.map((t: any) => [t.Amount, t.TaxLineDetail.OverrideDeltaAmount])).toEqual([
      [7.97, -0.01],
      [1.38, undefined],
    ]);
    // Without the flag only the non-shipping tax is overridden, and QuickBooks adds the shipping tax it computed (10.00 × 8.5 % = 0.85).
    const withoutFlag = (await api(US, '/salesreceipt', sale({}))).json.SalesReceipt;
    expect(withoutFlag).toMatchObject({ TotalAmt: 120.2, TxnTaxDetail: { TotalTax: 10.2 } });
  });

  it('plays the unconfirmed variants of the override: ignored (recomputed), and ignored only with automated sales tax', async () => {
    const usSale = { Line: [line(100, 'TAX')], TxnTaxDetail: { TxnTaxCodeRef: { value: '21' }, TotalTax: 8.49 }, ShippingTaxIncludedInTotalTax: true };
    const astSale = { Line: [line(200, 'TAX')], TxnTaxDetail: { TotalTax: 19.01 }, ShippingTaxIncludedInTotalTax: true };
    try {
      emulator.control.setTotalTaxOverride('ignored');
      expect((await api(US, '/salesreceipt', usSale)).json.SalesReceipt).toMatchObject({ TotalAmt: 108.5, TxnTaxDetail: { TotalTax: 8.5 } });
      expect((await api(US_AUTOMATED, '/salesreceipt', astSale)).json.SalesReceipt).toMatchObject({ TotalAmt: 219, TxnTaxDetail: { TotalTax: 19 } });
      emulator.control.setTotalTaxOverride('ignored-with-automated-sales-tax');
      expect((await api(US, '/salesreceipt', usSale)).json.SalesReceipt).toMatchObject({ TotalAmt: 108.49, TxnTaxDetail: { TotalTax: 8.49 } });
      expect((await api(US_AUTOMATED, '/salesreceipt', astSale)).json.SalesReceipt).toMatchObject({ TotalAmt: 219, TxnTaxDetail: { TotalTax: 19 } });
      emulator.control.setTotalTaxOverride('honoured');
      // Automated sales tax honours the amount (Intuit, 2017) and marks the receipt for review.
      expect((await api(US_AUTOMATED, '/salesreceipt', astSale)).json.SalesReceipt).toMatchObject({
        TotalAmt: 219.01,
        TxnTaxDetail: { TotalTax: 19.01, TaxReviewStatus: 'AST_TAX_OVERRIDE' },
      });
    } finally {
      emulator.control.setTotalTaxOverride('honoured');
    }
  });

  it.each([
    [GB, 'VAT'],
    [CA, 'GST/HST'],
    [AU, 'GST'],
  ])('company %s refuses a line without a tax code with the business error QuickBooks sends (%s)', async (realmId, noun) => {
    const refused = await api(realmId, '/salesreceipt', { GlobalTaxCalculation: 'TaxExcluded', Line: [line(10, '21'), line(5)] });
    expect(refused.status).toBe(400);
    expect(refused.json.Fault.Error).toEqual([
      {
        Message: 'A business validation error has occurred while processing your request',
        Detail: `Business Validation Error: Make sure all your transactions have a ${noun} rate before you save.`,
        code: '6000',
        element: '',
      },
    ]);
    // The shipping line counts as a line.
    const shippingWithout = await api(realmId, '/salesreceipt', { Line: [line(10, '21'), { DetailType: 'SalesItemLineDetail', Amount: 4, SalesItemLineDetail: { ItemRef: { value: 'SHIPPING_ITEM_ID' } } }] });
    expect(shippingWithout.json.Fault.Error[0].code).toBe('6000');
  });

  it('a non-US company takes TaxCode ids only: the US pseudo codes do not exist there (2500)', async () => {
    const refused = await api(GB, '/salesreceipt', { Line: [line(10, 'TAX')] });
    expect(refused.json.Fault.Error[0]).toMatchObject({ code: '2500', element: 'TaxCodeRef' });
  });

  it('a non-US company taxes each line at its code rate, rounding once per rate, exclusive of tax', async () => {
    const booked = await api(GB, '/salesreceipt', { GlobalTaxCalculation: 'TaxExcluded', Line: [line(10.05, '21'), line(10.05, '21'), line(7, '22'), line(3.33, '23')] });
    // VAT 20 % of 20.10 = 4.02; 5 % of 3.33 = 0.17 (0.1665); zero-rated 7.00 untaxed.
    expect(booked.json.SalesReceipt).toMatchObject({ GlobalTaxCalculation: 'TaxExcluded', TotalAmt: 34.62, TxnTaxDetail: { TotalTax: 4.19 } });
  });

  it('a non-US company plays the override like a US one (T20, unconfirmed): honoured by default, recomputed when ignored', async () => {
    // 44.17 at 20 % rounds once to 8.83 (53.00); a client stating 8.84 wants 53.01, which no net makes at that rate.
    const stated = { GlobalTaxCalculation: 'TaxExcluded', Line: [line(33.65, '21'), line(6.74, '21'), line(3.78, '21')], TxnTaxDetail: { TotalTax: 8.84 }, ShippingTaxIncludedInTotalTax: true };
    try {
      expect((await api(GB, '/salesreceipt', stated)).json.SalesReceipt).toMatchObject({ TotalAmt: 53.01, TxnTaxDetail: { TotalTax: 8.84 } });
      emulator.control.setTotalTaxOverride('ignored');
      expect((await api(GB, '/salesreceipt', stated)).json.SalesReceipt).toMatchObject({ TotalAmt: 53, TxnTaxDetail: { TotalTax: 8.83 } });
    } finally {
      emulator.control.setTotalTaxOverride('honoured');
    }
  });

  it('a tax-inclusive receipt: Amount is net, TaxInclusiveAmt the price paid, and the total is what the customer paid', async () => {
    const booked = await api(GB, '/salesreceipt', {
      GlobalTaxCalculation: 'TaxInclusive',
      Line: [line(10, '21', { TaxInclusiveAmt: 12 }), line(8.33, '21', { TaxInclusiveAmt: 9.99 }), line(5, '22', { TaxInclusiveAmt: 5 })],
    });
    expect(booked.status).toBe(200);
    const receipt = booked.json.SalesReceipt;
    expect(receipt).toMatchObject({ GlobalTaxCalculation: 'TaxInclusive', TotalAmt: 26.99, TxnTaxDetail: { TotalTax: 3.66 } });
    expect(receipt.Line.filter((l: any) => l.DetailType === 'SalesItemLineDetail').map((l: any) => [l.Amount, l.SalesItemLineDetail.TaxInclusiveAmt])).toEqual([
      [10, 12],
      [8.33, 9.99],
      [5, 5],
    ]);
    // Without TaxInclusiveAmt the Amount is read as net and the tax goes on top.
    const netOnly = await api(GB, '/salesreceipt', { GlobalTaxCalculation: 'TaxInclusive', Line: [line(10, '21')] });
    expect(netOnly.json.SalesReceipt.TotalAmt).toBe(12);
  });

  it('plays the unconfirmed reading where a tax-inclusive Amount already holds the tax', async () => {
    emulator.control.setTaxInclusiveLineReading('gross-amount');
    try {
      const booked = await api(GB, '/salesreceipt', { GlobalTaxCalculation: 'TaxInclusive', Line: [line(12, '21', { TaxInclusiveAmt: 99 })] });
      expect(booked.json.SalesReceipt).toMatchObject({ TotalAmt: 12, TxnTaxDetail: { TotalTax: 2 } });
    } finally {
      emulator.control.setTaxInclusiveLineReading('net-amount');
    }
  });

  it('a company without sales tax books no tax and takes lines without codes', async () => {
    const booked = await api(GB_NO_VAT, '/salesreceipt', { Line: [line(10)], TxnTaxDetail: { TotalTax: 2 } });
    expect(booked.json.SalesReceipt).toMatchObject({ TotalAmt: 10, TxnTaxDetail: { TotalTax: 0 } });
  });
});

describe('QboAccountingTarget: the company tax setup', () => {
  it('is read from CompanyInfo and Preferences once, then cached per integration', async () => {
    const platform = createQboPlatform({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, environment: 'sandbox', ...qboEndpointsAt(emulator.urls) });
    const setupOf = async (realmId: string) => {
      const account = { realmId };
      const provider = { getAccessToken: async () => tokens.get(realmId)!, refreshAfterRejection: async () => null };
      return platform.createTarget({ integrationId: `int-${realmId}`, account, tokens: provider }).taxSetup();
    };
    emulator.control.clearRequestLog();
    expect(await setupOf(US)).toEqual({ mode: 'per-sale', country: 'US' });
    expect(await setupOf(US)).toEqual({ mode: 'per-sale', country: 'US' });
    expect(emulator.control.requestLog().filter((r) => /companyinfo|preferences/.test(r.url))).toHaveLength(2);
    expect(await setupOf(US_AUTOMATED)).toEqual({ mode: 'ledger-computed', country: 'US' });
    expect(await setupOf(GB)).toEqual({ mode: 'per-line', country: 'GB' });
    expect(await setupOf(CA)).toEqual({ mode: 'per-line', country: 'CA' });
    expect(await setupOf(GB_NO_VAT)).toEqual({ mode: 'off', country: 'GB' });
  });
});
