import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderTotals } from '../emulators/shopify/order-totals.js';
import type { EmulatedOrder } from '../emulators/shopify/model.js';
import { orderSyncStatusQuery } from '../workflows/order-sync.js';
import { orderSyncWorkflowId } from '../runtime/order-sync-starter.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

/**
 * Orders shaped like the ones real shops send — stacked discounts, custom lines without SKU, guests,
 * shipping with and without tax, several currencies, prices with and without tax — booked into a UK and a
 * US QuickBooks company, each once, with the ledger's total equal to the shop's.
 */

type Harness = SyncHarness;

async function bookOnce(harness: Harness, order: EmulatedOrder) {
  const { workflowId } = await harness.startSync(order.id);
  const result = await harness.handle(workflowId).result();
  const receipts = harness.salesReceipts().filter((r) => (r.record as { PrivateNote?: string }).PrivateNote?.includes(order.id));
  return { result, receipts, record: receipts[0]?.record as Record<string, any> | undefined };
}

function shopTotal(order: EmulatedOrder): number {
  return Number(orderTotals(order).total);
}

async function mapSku(harness: Harness, key: string, itemName: string) {
  const response = await harness.operator('PUT', `/routes/${harness.routeId}/sku-mappings/${encodeURIComponent(key)}`, { ledgerItemId: harness.ledgerId('Item', itemName) });
  expect(response.status).toBe(200);
}

async function mapTax(harness: Harness, key: string, codeName: string) {
  const response = await harness.operator('PUT', `/routes/${harness.routeId}/tax-mappings/${encodeURIComponent(key)}`, { ledgerTaxCodeId: harness.ledgerId('TaxCode', codeName) });
  expect(response.status).toBe(200);
}

const vat = (amount: string, rate = 0.2) => [{ title: 'VAT', rate, amount }];

describe('real-world orders into a UK company (a VAT code on every line)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await SyncHarness.start({ qboCompany: 'GB' });
    await mapSku(harness, 'title:Gift wrap', 'Gift wrap');
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('a guest order, two discounts on one line, a custom line with an empty SKU and taxed shipping (GBP, prices without tax)', async () => {
    const order = harness.shopify.control.createOrder({
      name: '#UK1001',
      currency: 'GBP',
      taxesIncluded: false,
      email: null,
      lineItems: [
        { title: 'Red T-shirt', sku: 'TS-RED-M', quantity: 2, unitPrice: '20.00', discountAllocations: ['3.00', '1.00'], taxLines: vat('7.20') },
        { title: 'Gift wrap', sku: '', quantity: 1, unitPrice: '3.00', taxLines: vat('0.60') },
      ],
      shippingLines: [{ title: 'Royal Mail', price: '4.50', taxLines: vat('0.90') }],
    });
    const { result, receipts, record } = await bookOnce(harness, order);
    expect(result.outcome).toBe('created');
    expect(receipts).toHaveLength(1);
    expect(record!.TotalAmt).toBe(shopTotal(order));
    expect(record!.TotalAmt).toBe(52.2);
    const vatCode = harness.ledgerId('TaxCode', 'VAT');
    const sales = record!.Line.filter((l: any) => l.DetailType === 'SalesItemLineDetail');
    // Every line, shipping included, carries the VAT code; the stacked discounts come off the T-shirt line.
    expect(sales.map((l: any) => [l.SalesItemLineDetail.ItemRef.value, l.Amount, l.SalesItemLineDetail.TaxCodeRef?.value])).toEqual([
      [harness.ledgerId('Item', 'Red T-shirt'), 36, vatCode],
      [harness.ledgerId('Item', 'Gift wrap'), 3, vatCode],
      ['SHIPPING_ITEM_ID', 4.5, vatCode],
    ]);
    expect(record!.TxnTaxDetail.TotalTax).toBe(8.7);
  });

  it('tax-inclusive prices in EUR, a discounted line, a zero-rated line and untaxed shipping', async () => {
    const order = harness.shopify.control.createOrder({
      name: '#UK1002',
      currency: 'EUR',
      taxesIncluded: true,
      customer: { firstName: 'Chloé', lastName: 'Dubois', email: 'chloe@example.fr' },
      lineItems: [
        // Shopify works inclusive tax out per line: 29.97 − 29.97 / 1.2 = 4.995 → 5.00.
        { title: 'Mug', sku: 'MUG-1', quantity: 3, unitPrice: '9.99', taxLines: vat('5.00') },
        { title: 'Red T-shirt', sku: 'TS-RED-M', quantity: 1, unitPrice: '24.00', discount: '4.00', taxLines: vat('3.33') },
        { title: 'Product A', sku: 'product-a', quantity: 1, unitPrice: '10.00', taxLines: vat('0.00', 0) },
      ],
      shippingLines: [{ title: 'DPD', price: '5.00', taxLines: [] }],
    });
    const { result, receipts, record } = await bookOnce(harness, order);
    expect(result.outcome).toBe('created');
    expect(receipts).toHaveLength(1);
    expect(record).toMatchObject({ GlobalTaxCalculation: 'TaxInclusive', CurrencyRef: { value: 'EUR' } });
    expect(record!.TotalAmt).toBe(shopTotal(order));
    expect(record!.TotalAmt).toBe(64.97);
    const zero = harness.ledgerId('TaxCode', 'Zero rated');
    const sales = record!.Line.filter((l: any) => l.DetailType === 'SalesItemLineDetail');
    expect(sales.map((l: any) => [l.SalesItemLineDetail.TaxInclusiveAmt, l.SalesItemLineDetail.TaxCodeRef?.value])).toEqual([
      [29.97, harness.ledgerId('TaxCode', 'VAT')],
      [20, harness.ledgerId('TaxCode', 'VAT')],
      [10, zero],
      [5, zero],
    ]);
  });

  it('a ledger that reads tax-inclusive amounts the other way books a different total: the order waits, never called synced', async () => {
    harness.qbo.control.setTaxInclusiveLineReading('gross-amount');
    try {
      const order = harness.shopify.control.createOrder({
        name: '#UK1003',
        currency: 'GBP',
        taxesIncluded: true,
        email: 'sam@example.com',
        lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '12.00', taxLines: vat('2.00') }],
      });
      await harness.startSync(order.id);
      const row = await eventually(async () => {
        const current = await harness.orderRow(order.id);
        return current?.status === 'waiting' ? current : undefined;
      }, 'the order to wait on its total');
      expect(row).toMatchObject({ lastErrorCode: 'LedgerTotalMismatch' });
      expect(row!.lastErrorMessage).toContain('the shop charged 12.00');
      const status = await harness.handle(orderSyncWorkflowId(harness.routeId, order.id)).query(orderSyncStatusQuery);
      expect(status.state).toBe('waiting_for_fix');
      expect(harness.salesReceipts().filter((r) => (r.record as any).PrivateNote.includes(order.id))).toHaveLength(1);
    } finally {
      harness.qbo.control.setTaxInclusiveLineReading('net-amount');
    }
  });
});

describe('real-world orders into a US company (TAX/NON lines, the rate from the sale tax code)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await SyncHarness.start({ qboCompany: 'US' });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('taxed and untaxed lines with taxed shipping: lines say TAX or NON, the sale says which code (USD)', async () => {
    const ny = (amount: string) => [{ title: 'NY State Tax', rate: 0.04, amount }];
    const order = harness.shopify.control.createOrder({
      name: '#US1001',
      currency: 'USD',
      customer: { firstName: 'Ada', lastName: 'Byron', email: 'ada@example.com' },
      lineItems: [
        { title: 'Mug', sku: 'MUG-1', quantity: 2, unitPrice: '8.00', taxLines: ny('0.64') },
        { title: 'Product A', sku: 'product-a', quantity: 1, unitPrice: '10.00', taxable: false, taxLines: [] },
      ],
      shippingLines: [{ title: 'UPS Ground', price: '5.00', taxLines: ny('0.20') }],
    });
    const { result, receipts, record } = await bookOnce(harness, order);
    expect(result.outcome).toBe('created');
    expect(receipts).toHaveLength(1);
    expect(record!.TotalAmt).toBe(shopTotal(order));
    expect(record!.TotalAmt).toBe(31.84);
    const sales = record!.Line.filter((l: any) => l.DetailType === 'SalesItemLineDetail');
    expect(sales.map((l: any) => l.SalesItemLineDetail.TaxCodeRef.value)).toEqual(['TAX', 'NON', 'TAX']);
    expect(record!.TxnTaxDetail.TxnTaxCodeRef.value).toBe(harness.ledgerId('TaxCode', 'NY State Tax'));
  });

  it('a guest order in CAD with two jurisdictions mapped to one code and two discounts on a line', async () => {
    await mapTax(harness, 'CA State Tax@6+Los Angeles County Tax@3.5', 'Los Angeles');
    const order = harness.shopify.control.createOrder({
      name: '#US1002',
      currency: 'CAD',
      email: null,
      lineItems: [
        {
          title: 'Red T-shirt',
          sku: 'TS-RED-M',
          quantity: 2,
          unitPrice: '20.00',
          discountAllocations: ['5.00', '2.50'],
          taxLines: [
            { title: 'CA State Tax', rate: 0.06, amount: '1.95' },
            { title: 'Los Angeles County Tax', rate: 0.035, amount: '1.14' },
          ],
        },
      ],
      shippingLines: [{ title: 'Free shipping', price: '0.00', taxLines: [] }],
    });
    const { result, receipts, record } = await bookOnce(harness, order);
    expect(result.outcome).toBe('created');
    expect(receipts).toHaveLength(1);
    expect(record).toMatchObject({ CurrencyRef: { value: 'CAD' }, TotalAmt: 35.59 });
    expect(record!.TotalAmt).toBe(shopTotal(order));
  });

  it('a mapped code whose rate differs from the shop parks the booked order with the figures; fixed in QuickBooks, a retry recognises the receipt', async () => {
    await mapTax(harness, 'CA State Tax@7.25', 'Old CA rate');
    const order = harness.shopify.control.createOrder({
      name: '#US1003',
      currency: 'USD',
      email: 'lee@example.com',
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '100.00', taxLines: [{ title: 'CA State Tax', rate: 0.0725, amount: '7.25' }] }],
    });
    const { workflowId } = await harness.startSync(order.id);
    const row = await eventually(async () => {
      const current = await harness.orderRow(order.id);
      return current?.status === 'waiting' ? current : undefined;
    }, 'the order to wait on its total');
    expect(row!.lastErrorCode).toBe('LedgerTotalMismatch');
    expect(row!.lastErrorMessage).toMatch(/^QuickBooks Online #1 computed 107\.75, the shop charged 107\.25 for order #US1003: check tax code "Old CA rate" \(7\.75 %\)/);
    expect(row!.lastErrorMessage).toContain('it will not be booked twice');
    const mine = () => harness.salesReceipts().filter((r) => (r.record as any).PrivateNote.includes(order.id));
    expect(mine()).toHaveLength(1);
    expect(row!.ledgerDocumentId).toBe(mine()[0]!.id);

    // A retry before anything is fixed finds the same receipt and waits again: still one receipt.
    expect((await harness.operator('POST', `/routes/${harness.routeId}/orders/${order.id}/retry`)).status).toBeLessThan(300);
    await eventually(async () => {
      const status = await harness.handle(workflowId).query(orderSyncStatusQuery);
      return status.attempts >= 2 && status.state === 'waiting_for_fix' ? true : undefined;
    }, 'the retry to run and park again');
    expect(mine()).toHaveLength(1);
    await eventually(async () => ((await harness.orderRow(order.id))?.status === 'waiting' ? true : undefined), 'the row to say Waiting again');

    // The bookkeeper corrects the receipt in QuickBooks; the retry recognises it and the order is synced.
    harness.qbo.control.correctSalesReceipt(harness.realmId, mine()[0]!.id, 107.25);
    await harness.operator('POST', `/routes/${harness.routeId}/orders/${order.id}/retry`);
    const result = await harness.handle(workflowId).result();
    // The run starts over from the order and finds its own receipt, now with the shop's total.
    expect(result.outcome).toBe('already_synced');
    expect(result.ledgerDocument!.id).toBe(mine()[0]!.id);
    expect(mine()).toHaveLength(1);
    expect(await harness.orderRow(order.id)).toMatchObject({ status: 'synced', lastErrorCode: null });
  });

  // Shopify rounds tax per line: 8.13 × 4 % = 0.3252 → 0.33, 20.13 × 4 % = 0.8052 → 0.81, 1.14 in all; QuickBooks rounds
  // once on the taxable subtotal: 28.26 × 4 % = 1.1304 → 1.13. The shop charged 29.40.
  const centApart = (name: string) =>
    harness.shopify.control.createOrder({
      name,
      currency: 'USD',
      customer: { firstName: 'Grace', lastName: 'Hopper', email: `${name.slice(1).toLowerCase()}@example.com` },
      lineItems: [
        { title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.13', taxLines: [{ title: 'NY State Tax', rate: 0.04, amount: '0.33' }] },
        { title: 'Red T-shirt', sku: 'TS-RED-M', quantity: 1, unitPrice: '20.13', taxLines: [{ title: 'NY State Tax', rate: 0.04, amount: '0.81' }] },
      ],
    });

  it('a cent of per-line rounding: the shop\'s tax goes as QuickBooks\' tax override and the receipt is booked once with the shop\'s total', async () => {
    const order = centApart('#US1004');
    expect(shopTotal(order)).toBe(29.4);
    const { result, receipts, record } = await bookOnce(harness, order);
    expect(result.outcome).toBe('created');
    expect(receipts).toHaveLength(1);
    expect(record).toMatchObject({ TotalAmt: 29.4, TxnTaxDetail: { TotalTax: 1.14, TxnTaxCodeRef: { value: harness.ledgerId('TaxCode', 'NY State Tax') } } });
    expect(await harness.orderRow(order.id)).toMatchObject({ status: 'synced', lastErrorCode: null });
  });

  it('where QuickBooks recomputes the tax anyway, the order waits naming both figures; once the bookkeeper sets the tax, a retry finds the one receipt', async () => {
    harness.qbo.control.setTotalTaxOverride('ignored');
    try {
      const order = centApart('#US1005');
      const { workflowId } = await harness.startSync(order.id);
      const row = await eventually(async () => {
        const current = await harness.orderRow(order.id);
        return current?.status === 'waiting' ? current : undefined;
      }, 'the order to wait on its total');
      expect(row!.lastErrorCode).toBe('LedgerTotalMismatch');
      expect(row!.lastErrorMessage).toMatch(/^QuickBooks Online #1 computed 29\.39, the shop charged 29\.40 for order #US1005: a difference of 0\.01 USD, as rounding makes it/);
      expect(row!.lastErrorMessage).toContain("set the sales receipt's tax to 1.14");
      const status = await harness.handle(workflowId).query(orderSyncStatusQuery);
      expect(status.state).toBe('waiting_for_fix');
      const mine = () => harness.salesReceipts().filter((r) => (r.record as any).PrivateNote.includes(order.id));
      expect(mine()).toHaveLength(1);

      harness.qbo.control.correctSalesReceipt(harness.realmId, mine()[0]!.id, 29.4);
      await harness.operator('POST', `/routes/${harness.routeId}/orders/${order.id}/retry`);
      const result = await harness.handle(workflowId).result();
      expect(result.outcome).toBe('already_synced');
      expect(mine()).toHaveLength(1);
      expect(await harness.orderRow(order.id)).toMatchObject({ status: 'synced', lastErrorCode: null });
    } finally {
      harness.qbo.control.setTotalTaxOverride('honoured');
    }
  });
});

describe('a US company with automated sales tax (QuickBooks works the rate out; the shop\'s tax goes as the override)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await SyncHarness.start({ qboCompany: 'US' });
    // Before any order reads the company's settings: automated sales tax at the shop's 4 %.
    harness.qbo.control.setAutomatedSalesTax(harness.realmId, true, 4);
  });
  afterAll(async () => {
    await harness?.close();
  });

  // The same cent as above: 0.33 + 0.81 per line in the shop, 28.26 × 4 % = 1.13 once in QuickBooks.
  const centApart = (name: string) =>
    harness.shopify.control.createOrder({
      name,
      currency: 'USD',
      customer: { firstName: 'Alan', lastName: 'Turing', email: 'alan@example.com' },
      lineItems: [
        { title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.13', taxLines: [{ title: 'NY State Tax', rate: 0.04, amount: '0.33' }] },
        { title: 'Red T-shirt', sku: 'TS-RED-M', quantity: 1, unitPrice: '20.13', taxLines: [{ title: 'NY State Tax', rate: 0.04, amount: '0.81' }] },
      ],
    });

  it('honoured, the receipt is booked once with the shop\'s total and marked for review in QuickBooks', async () => {
    const order = centApart('#US2001');
    const { result, receipts, record } = await bookOnce(harness, order);
    expect(result.outcome).toBe('created');
    expect(receipts).toHaveLength(1);
    expect(record).toMatchObject({ TotalAmt: 29.4, TxnTaxDetail: { TotalTax: 1.14, TaxReviewStatus: 'AST_TAX_OVERRIDE' } });
  });

  it('where automated sales tax recomputes it, the order waits naming both figures and is never called synced', async () => {
    harness.qbo.control.setTotalTaxOverride('ignored-with-automated-sales-tax');
    try {
      const order = centApart('#US2002');
      const { workflowId } = await harness.startSync(order.id);
      const row = await eventually(async () => {
        const current = await harness.orderRow(order.id);
        return current?.status === 'waiting' ? current : undefined;
      }, 'the order to wait on its total');
      expect(row).toMatchObject({ lastErrorCode: 'LedgerTotalMismatch' });
      expect(row!.lastErrorMessage).toMatch(/^QuickBooks Online #1 computed 29\.39, the shop charged 29\.40 for order #US2002: a difference of 0\.01 USD/);
      expect((await harness.handle(workflowId).query(orderSyncStatusQuery)).state).toBe('waiting_for_fix');
      expect(harness.salesReceipts().filter((r) => (r.record as any).PrivateNote.includes(order.id))).toHaveLength(1);
    } finally {
      harness.qbo.control.setTotalTaxOverride('honoured');
    }
  });
});
