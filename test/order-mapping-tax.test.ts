import { describe, expect, it } from 'vitest';
import type { LedgerSale, LedgerTaxCode, LedgerTaxSetup } from '../domain/accounting-target.js';
import type { CommerceOrder, CommerceOrderLine } from '../domain/commerce-order.js';
import { mapOrderLines, type MappingRules } from '../domain/order-mapping.js';
import { toQboSalesReceipt } from '../platforms/qbo/sales-receipt-payload.js';
import { taxSetupOf } from '../platforms/qbo/company-tax-setup.js';

/** How an order's tax is mapped and sent for each kind of QuickBooks company. */
const order = (lines: CommerceOrderLine[], patch: Partial<CommerceOrder> = {}): CommerceOrder => ({
  id: '9007199254741001',
  name: '#1001',
  createdAt: '2026-11-25T10:00:00Z',
  updatedAt: '2026-11-25T10:00:00Z',
  currency: 'USD',
  taxesIncluded: false,
  financialStatus: 'paid',
  cancelledAt: null,
  note: null,
  email: null,
  customer: null,
  lines,
  shippingLines: [],
  taxLines: [],
  totalDiscount: '0.00',
  totalTax: '0.00',
  totalShipping: '0.00',
  total: '0.00',
  currentTotal: '0.00',
  ...patch,
});

const line = (patch: Partial<CommerceOrderLine>): CommerceOrderLine => ({
  id: 'l1',
  sku: 'MUG-1',
  title: 'Mug',
  quantity: 1,
  unitPrice: '10.00',
  discount: '0.00',
  taxable: true,
  taxLines: [],
  ...patch,
});

const codes: LedgerTaxCode[] = [
  { id: '1', name: 'NY State Tax', ratePercent: 4, active: true },
  { id: '2', name: 'Los Angeles', ratePercent: 9.5, active: true },
  { id: '3', name: '0.0% Z', ratePercent: 0, active: true },
  { id: '4', name: 'Exempt', ratePercent: 0, active: true },
];

const rules = (taxSetup: LedgerTaxSetup, patch: Partial<MappingRules> = {}): MappingRules => ({
  skuMappings: new Map(),
  taxMappings: new Map(),
  items: [{ id: '9', name: 'Mug', sku: 'MUG-1', active: true }],
  taxCodes: codes,
  taxSetup,
  ...patch,
});

const US: LedgerTaxSetup = { mode: 'per-sale', country: 'US' };
const GB: LedgerTaxSetup = { mode: 'per-line', country: 'GB' };

describe('tax mapping by company kind', () => {
  it('reads the tax setup from CompanyInfo and Preferences', () => {
    expect(taxSetupOf({ Country: 'US' }, { TaxPrefs: { UsingSalesTax: true, PartnerTaxEnabled: false } })).toEqual(US);
    expect(taxSetupOf({ Country: 'US' }, { TaxPrefs: { UsingSalesTax: true, PartnerTaxEnabled: true } })).toEqual({ mode: 'ledger-computed', country: 'US' });
    expect(taxSetupOf({ Country: 'GB' }, { TaxPrefs: { UsingSalesTax: true } })).toEqual(GB);
    expect(taxSetupOf({ Country: 'AU' }, { TaxPrefs: { UsingSalesTax: false } })).toEqual({ mode: 'off', country: 'AU' });
  });

  it('US: lines are only marked taxable; the sale gets one code for every jurisdiction charged, shipping included', () => {
    const mapped = mapOrderLines(
      order([
        line({ taxLines: [{ title: 'CA State Tax', rate: 0.06, amount: '0.60' }, { title: 'LA County Tax', rate: 0.035, amount: '0.35' }] }),
        line({ id: 'l2', taxable: false }),
      ], { shippingLines: [{ title: 'UPS', price: '5.00', taxLines: [{ title: 'CA State Tax', rate: 0.06, amount: '0.30' }] }] }),
      rules(US, { taxMappings: new Map([['CA State Tax@6+LA County Tax@3.5', '2']]) }),
    );
    expect('lines' in mapped && mapped.txnTaxCodeId).toBe('2');
    expect('lines' in mapped && mapped.lines.map((l) => [l.taxCodeId, l.taxable])).toEqual([
      [null, true],
      [null, false],
    ]);
    expect('lines' in mapped && mapped.shipping).toMatchObject({ taxCodeId: null, taxable: true });
  });

  it('US: an unmapped combination parks with the codes at that rate suggested', () => {
    const mapped = mapOrderLines(order([line({ taxLines: [{ title: 'CA State Tax', rate: 0.06, amount: '0.60' }, { title: 'LA County Tax', rate: 0.035, amount: '0.35' }] })]), rules(US));
    expect('problems' in mapped && mapped.problems).toEqual([{ kind: 'tax', key: 'CA State Tax@6+LA County Tax@3.5', ratePercent: 9.5, candidates: [codes[1]] }]);
  });

  it('US with automated sales tax, or a company without sales tax: no tax codes are needed at all', () => {
    const taxed = order([line({ taxLines: [{ title: 'Unknown County', rate: 0.0123, amount: '0.12' }] })]);
    expect('lines' in mapOrderLines(taxed, rules({ mode: 'ledger-computed', country: 'US' }, { taxCodes: [] }))).toBe(true);
    expect('lines' in mapOrderLines(taxed, rules({ mode: 'off', country: 'GB' }, { taxCodes: [] }))).toBe(true);
  });

  it('per line: an untaxed line needs a code too; with a zero-rated and an exempt code the bookkeeper chooses', () => {
    const mapped = mapOrderLines(order([line({ taxable: false })]), rules(GB));
    expect('problems' in mapped && mapped.problems).toEqual([{ kind: 'tax', key: 'No tax@0', ratePercent: 0, candidates: [codes[2], codes[3]] }]);
    const chosen = mapOrderLines(order([line({ taxable: false })]), rules(GB, { taxMappings: new Map([['No tax@0', '4']]) }));
    expect('lines' in chosen && chosen.lines[0]!.taxCodeId).toBe('4');
  });
});

describe('the sales receipt QuickBooks is sent', () => {
  const receipt = (patch: Partial<LedgerSale>): LedgerSale => ({
    docNumber: '1001',
    date: '2026-11-25',
    currency: 'GBP',
    customerId: '5',
    taxesIncluded: false,
    lines: [{ itemId: '9', description: 'Mug', quantity: 3, unitPrice: '9.99', amount: '29.97', taxCodeId: '7', taxable: true, discount: '2.97', tax: '4.50' }],
    discount: '2.97',
    shipping: { amount: '5.00', taxCodeId: '8', taxable: false, tax: '0.00' },
    saleTaxCodeId: null,
    totalTax: '4.50',
    total: '32.00',
    marker: 'note',
    internalNote: 'note',
    customerMemo: null,
    ...patch,
  });

  it('tax-inclusive (non-US): Amount and UnitPrice net of tax, TaxInclusiveAmt the price paid, a code on every line', () => {
    const body = toQboSalesReceipt(receipt({ taxesIncluded: true }), GB) as any;
    expect(body.GlobalTaxCalculation).toBe('TaxInclusive');
    expect(body.Line[0]).toMatchObject({ Amount: 22.5, SalesItemLineDetail: { Qty: 3, UnitPrice: 7.5, TaxInclusiveAmt: 27, TaxCodeRef: { value: '7' } } });
    expect(body.Line[1]).toMatchObject({ Amount: 5, SalesItemLineDetail: { ItemRef: { value: 'SHIPPING_ITEM_ID' }, TaxInclusiveAmt: 5, TaxCodeRef: { value: '8' } } });
    expect(body.TxnTaxDetail).toBeUndefined();
  });

  it('US: TAX/NON on lines, the sale code in TxnTaxDetail, no GlobalTaxCalculation and no TotalTax of ours', () => {
    const body = toQboSalesReceipt(receipt({ currency: 'USD', saleTaxCodeId: '2', lines: [{ ...receipt({}).lines[0]!, taxCodeId: null }], shipping: { amount: '5.00', taxCodeId: null, taxable: false } }), US) as any;
    expect(body.Line.map((l: any) => l.SalesItemLineDetail.TaxCodeRef.value)).toEqual(['TAX', 'NON']);
    expect(body.TxnTaxDetail).toEqual({ TxnTaxCodeRef: { value: '2' } });
    expect(body.GlobalTaxCalculation).toBeUndefined();
    expect(body.Line[0]).toMatchObject({ Amount: 27, SalesItemLineDetail: { UnitPrice: 9 } });
  });

  it('a run mapped before lines carried their discount still books it as one discount line', () => {
    const legacy = receipt({ lines: [{ itemId: '9', description: 'Mug', quantity: 3, unitPrice: '9.99', amount: '29.97', taxCodeId: '7' }] });
    const body = toQboSalesReceipt(legacy, GB) as any;
    expect(body.Line[0].Amount).toBe(29.97);
    expect(body.Line.find((l: any) => l.DetailType === 'DiscountLineDetail')).toMatchObject({ Amount: 2.97 });
  });

  it("US: the shop's tax goes as the total tax override (shipping tax inside it) only where the code's rate leaves a rounding difference", () => {
    // Two lines taxed at 4 %: the shop rounded per line to 1.14, 28.26 × 4 % rounds once to 1.13.
    const rounded = receipt({
      currency: 'USD',
      saleTaxCodeId: '1',
      lines: [
        { itemId: '9', description: 'Mug', quantity: 1, unitPrice: '8.13', amount: '8.13', taxCodeId: null, taxable: true, discount: '0.00', tax: '0.33' },
        { itemId: '9', description: 'Mug, large', quantity: 1, unitPrice: '20.13', amount: '20.13', taxCodeId: null, taxable: true, discount: '0.00', tax: '0.81' },
      ],
      shipping: null,
      totalTax: '1.14',
      total: '29.40',
    });
    const sent = toQboSalesReceipt(rounded, US, codes) as any;
    expect(sent.TxnTaxDetail).toEqual({ TxnTaxCodeRef: { value: '1' }, TotalTax: 1.14 });
    expect(sent.ShippingTaxIncludedInTotalTax).toBe(true);
    // A code at 9.5 % would put 2.68 on the sale: not rounding, so QuickBooks' own figure must show.
    const otherRate = toQboSalesReceipt({ ...rounded, saleTaxCodeId: '2' }, US, codes) as any;
    expect(otherRate.TxnTaxDetail).toEqual({ TxnTaxCodeRef: { value: '2' } });
    expect(otherRate.ShippingTaxIncludedInTotalTax).toBeUndefined();
    // Without the code list (or the code in it) nothing is claimed.
    expect((toQboSalesReceipt(rounded, US) as any).TxnTaxDetail).toEqual({ TxnTaxCodeRef: { value: '1' } });
    // Automated sales tax: always the shop's figure; a VAT company: never.
    expect((toQboSalesReceipt({ ...rounded, saleTaxCodeId: null }, { mode: 'ledger-computed', country: 'US' }) as any).TxnTaxDetail).toEqual({ TotalTax: 1.14 });
    expect((toQboSalesReceipt(receipt({}), GB, codes) as any).TxnTaxDetail).toBeUndefined();
    // Nothing taxed: no override, whatever the mode.
    const untaxed = { ...rounded, lines: rounded.lines.map((l) => ({ ...l, taxable: false, tax: '0.00' })), totalTax: '0.00' };
    expect((toQboSalesReceipt(untaxed, { mode: 'ledger-computed', country: 'US' }) as any).TxnTaxDetail).toBeUndefined();
  });
});
