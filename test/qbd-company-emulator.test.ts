import { describe, expect, it } from 'vitest';
import { QbdCompanyEmulator, type QbdProcessResult } from '../emulators/qbd/company-emulator.js';
import { checkQbxmlElement } from '../emulators/qbd/qbxml-schema-check.js';
import { statusSaveError } from '../emulators/qbd/qbxml-status.js';
import { QBXML_SCHEMA } from '../emulators/qbd/schema-facts.js';
import { childNamed, childText, parseXml, type XmlElement } from '../platforms/qbd/xml-tree.js';

/**
 * The QuickBooks Desktop company emulator refuses what QuickBooks refuses: a request set that breaks Intuit's
 * qbXML 16.0 schema (order, unknown or missing elements) as a whole with HRESULT 0x80040400, an over-long string
 * with status 3070, a taken name with 3100, a missing reference with 3140; and its own answers fit the schema.
 */

function company(notFound?: 'status-500' | 'status-1', negativeDepositLines?: 'accept' | 'refuse') {
  return new QbdCompanyEmulator({
    company: {
      companyName: 'Desk Books Inc',
      companyFilePath: 'C:\\Users\\Public\\Documents\\Intuit\\QuickBooks\\Company Files\\Desk Books.qbw',
      customers: [{ name: 'Jane Doe', email: 'jane@example.com' }],
      otherNames: ['Acme Supplies'],
      accounts: [
        { name: 'Checking', type: 'Bank' },
        { name: 'Shopify Clearing', type: 'OtherCurrentAsset' },
        { name: 'Shopify Fees', type: 'Expense' },
      ],
      items: [
        { name: 'tee-blu-l', type: 'NonInventory', price: '20.00', description: 'Organic Cotton Tee Blue L' },
        { name: 'Old Mug', price: '5.00', isActive: false },
        { name: 'CA Sales Tax', type: 'SalesTax', price: '7.25' },
      ],
    },
    ...(notFound ? { notFound } : {}),
    ...(negativeDepositLines ? { negativeDepositLines } : {}),
    now: () => new Date('2026-11-29T12:00:00Z'),
  });
}

function requestSet(body: string, onError = 'stopOnError', version = '16.0'): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="${version}"?>\n<QBXML><QBXMLMsgsRq onError="${onError}">${body}</QBXMLMsgsRq></QBXML>`;
}

function responses(result: QbdProcessResult): XmlElement[] {
  if (result.kind !== 'response') throw new Error(`expected a response, got ${result.hresult} ${result.message}`);
  const doc = parseXml(result.qbxml);
  expect(doc.root.local).toBe('QBXML');
  const rs = doc.root.children[0]!.children;
  // Every answer the emulator gives fits Intuit's response schema.
  for (const r of rs) expect(checkQbxmlElement(r, QBXML_SCHEMA.responses[r.local]!)).toEqual([]);
  return rs;
}

const status = (rs: XmlElement) => ({ code: rs.attributes.statusCode, severity: rs.attributes.statusSeverity, message: rs.attributes.statusMessage });

const receipt = (refNumber: string, extra = '') =>
  `<SalesReceiptAddRq requestID="2"><SalesReceiptAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><TxnDate>2026-11-29</TxnDate>` +
  `<RefNumber>${refNumber}</RefNumber><ItemSalesTaxRef><FullName>CA Sales Tax</FullName></ItemSalesTaxRef><Memo>ledgerbridge order #1001</Memo>${extra}` +
  `<SalesReceiptLineAdd><ItemRef><FullName>tee-blu-l</FullName></ItemRef><Desc>Tee</Desc><Quantity>2</Quantity><Rate>20.00</Rate><SalesTaxCodeRef><FullName>Tax</FullName></SalesTaxCodeRef></SalesReceiptLineAdd>` +
  `</SalesReceiptAdd></SalesReceiptAddRq>`;

describe('QuickBooks Desktop company emulator', () => {
  it('books a customer and a sales receipt, with totals, ids and answers in schema order', () => {
    const qb = company();
    const rs = responses(
      qb.process(
        requestSet(
          `<CustomerAddRq requestID="1"><CustomerAdd><Name>Sam Roe</Name><FirstName>Sam</FirstName><LastName>Roe</LastName><Email>sam@example.com</Email></CustomerAdd></CustomerAddRq>` +
            receipt('1001'),
        ),
      ),
    );
    expect(rs.map((r) => [r.local, r.attributes.requestID, r.attributes.statusCode])).toEqual([
      ['CustomerAddRs', '1', '0'],
      ['SalesReceiptAddRs', '2', '0'],
    ]);
    const customer = childNamed(rs[0]!, 'CustomerRet')!;
    expect(childText(customer, 'ListID')).toMatch(/^[0-9A-F]{8}-\d{10}$/);
    const ret = childNamed(rs[1]!, 'SalesReceiptRet')!;
    expect(childText(ret, 'RefNumber')).toBe('1001');
    expect(childText(ret, 'Subtotal')).toBe('40.00');
    expect(childText(ret, 'SalesTaxTotal')).toBe('2.90');
    expect(childText(ret, 'TotalAmount')).toBe('42.90');
    expect(qb.company.salesReceipts).toHaveLength(1);
  });

  it('refuses a whole request set with elements out of schema order (0x80040400) and runs none of it', () => {
    const qb = company();
    const outOfOrder =
      `<SalesReceiptAddRq><SalesReceiptAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><RefNumber>1001</RefNumber><TxnDate>2026-11-29</TxnDate>` +
      `<SalesReceiptLineAdd><ItemRef><FullName>tee-blu-l</FullName></ItemRef><Amount>20.00</Amount></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>`;
    const result = qb.process(requestSet(`<CustomerAddRq><CustomerAdd><Name>Sam Roe</Name></CustomerAdd></CustomerAddRq>${outOfOrder}`));
    expect(result).toEqual({ kind: 'error', hresult: '0x80040400', message: 'QuickBooks found an error when parsing the provided XML text stream.' });
    expect(qb.lastFindings[0]).toMatchObject({ kind: 'structure', detail: 'TxnDate is not allowed after RefNumber in SalesReceiptAdd (schema order)' });
    expect(qb.company.customers.map((c) => c.name)).toEqual(['Jane Doe']);
    expect(qb.company.salesReceipts).toEqual([]);
  });

  it('refuses an unknown element, a missing required element, a bad amount and an unknown request as parse errors', () => {
    const qb = company();
    const cases = [
      `<CustomerAddRq><CustomerAdd><Name>A</Name><Nickname>x</Nickname></CustomerAdd></CustomerAddRq>`,
      `<CustomerAddRq><CustomerAdd><FirstName>Sam</FirstName></CustomerAdd></CustomerAddRq>`,
      `<SalesReceiptAddRq><SalesReceiptAdd><SalesReceiptLineAdd><ItemRef><FullName>tee-blu-l</FullName></ItemRef><Amount>20.001</Amount></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>`,
      `<SalesReceiptAddRq><SalesReceiptAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef></SalesReceiptAdd></SalesReceiptAddRq>`,
      `<CustomerQueryRq><NameFilter><Name>J</Name><MatchCriterion>StartsWith</MatchCriterion></NameFilter></CustomerQueryRq>`,
      `<CustomerQueryRq><ActiveStatus>Sometimes</ActiveStatus></CustomerQueryRq>`,
      `<SalesReceiptFetchRq />`,
    ];
    const details = cases.map((body) => {
      expect(qb.process(requestSet(body))).toMatchObject({ kind: 'error', hresult: '0x80040400' });
      return (qb.lastFindings[0] as { detail: string }).detail;
    });
    expect(details).toEqual([
      'Nickname is not an element of CustomerAdd',
      'CustomerAdd requires Name',
      'Amount: "20.001" does not match AMTTYPE',
      'SalesReceiptAdd is missing a required element',
      'Name is not allowed first in NameFilter (schema order)',
      'ActiveStatus: "Sometimes" is not one of ActiveOnly, InactiveOnly, All',
      'SalesReceiptFetchRq is not a qbXML request',
    ]);
    expect(qb.process(requestSet('<CustomerQueryRq>', 'stopOnError'))).toMatchObject({ kind: 'error', hresult: '0x80040400' });
    expect(qb.process(requestSet('<CustomerQueryRq />', 'stopOnFailure'))).toMatchObject({ kind: 'error', hresult: '0x80040400' });
    expect(qb.process(requestSet('<CustomerQueryRq />').replace('<?qbxml version="16.0"?>', ''))).toMatchObject({ kind: 'error', hresult: '0x80040400' });
    expect(qb.process(requestSet('<CustomerQueryRq />', 'stopOnError', '17.0'))).toMatchObject({ kind: 'error', hresult: '0x80040400' });
    const old = new QbdCompanyEmulator({ company: { companyName: 'Old', companyFilePath: 'C:\\old.qbw' }, highestQbxmlMajorVersion: 13 });
    expect(old.process(requestSet('<CustomerQueryRq />', 'stopOnError', '16.0'))).toMatchObject({ kind: 'error', hresult: '0x80040400' });
    expect(old.process(requestSet('<CustomerQueryRq />', 'stopOnError', '13.0'))).toMatchObject({ kind: 'response' });
    expect(qb.processed).toEqual([]);
  });

  it('answers a RefNumber over 11 characters with 3070 and books nothing; 11 characters are booked', () => {
    const qb = company();
    const [tooLong] = responses(qb.process(requestSet(receipt('SHOP-100123'.concat('4')))));
    expect(status(tooLong!)).toEqual({ code: '3070', severity: 'Error', message: 'The string "SHOP-1001234" in the field "RefNumber" is too long.' });
    expect(qb.company.salesReceipts).toEqual([]);
    const [ok] = responses(qb.process(requestSet(receipt('SHOP-100123'))));
    expect(status(ok!).code).toBe('0');
    const [longName] = responses(qb.process(requestSet(`<CustomerAddRq><CustomerAdd><Name>${'N'.repeat(42)}</Name></CustomerAdd></CustomerAddRq>`)));
    expect(status(longName!).code).toBe('3070');
  });

  it('refuses a customer name already in use, whatever its case, by a customer or a vendor (3100)', () => {
    const qb = company();
    const [rs] = responses(qb.process(requestSet(`<CustomerAddRq><CustomerAdd><Name>JANE DOE</Name></CustomerAdd></CustomerAddRq>`)));
    expect(status(rs!)).toEqual({ code: '3100', severity: 'Error', message: 'The name "JANE DOE" of the list element is already in use.' });
    const [vendor] = responses(qb.process(requestSet(`<CustomerAddRq><CustomerAdd><Name>acme supplies</Name></CustomerAdd></CustomerAddRq>`)));
    expect(status(vendor!).code).toBe('3100');
    expect(qb.company.customers.map((c) => c.name)).toEqual(['Jane Doe']);
  });

  it('refuses a receipt naming a customer, an item or a tax code it does not have, or an inactive item (3140)', () => {
    const qb = company();
    const withCustomer = receipt('1').replace('<FullName>Jane Doe</FullName>', '<FullName>Nobody</FullName>');
    const withItem = receipt('2').replace('<FullName>tee-blu-l</FullName>', '<FullName>TEE-RED-S</FullName>');
    const withInactive = receipt('3').replace('<FullName>tee-blu-l</FullName>', '<FullName>Old Mug</FullName>');
    const withTaxCode = receipt('4').replace('<FullName>Tax</FullName>', '<FullName>GST</FullName>');
    const codes = [withCustomer, withItem, withInactive, withTaxCode].map((body) => status(responses(qb.process(requestSet(body)))[0]!));
    expect(codes.map((c) => c.code)).toEqual(['3140', '3140', '3140', '3140']);
    expect(codes[0]!.message).toContain('invalid reference to QuickBooks Customer "Nobody" in the SalesReceipt.');
    expect(codes[1]!.message).toMatch(/^There is an invalid reference to QuickBooks Item "TEE-RED-S" in the SalesReceipt line\.  QuickBooks error message: /);
    expect(qb.company.salesReceipts).toEqual([]);
  });

  it('answers a query by name that finds nothing with 500 (Warn), or 1 in the other variant; a filter that finds nothing with 1', () => {
    const byName = `<CustomerQueryRq requestID="9"><FullName>Nobody</FullName></CustomerQueryRq>`;
    const [warn] = responses(company().process(requestSet(byName)));
    expect(status(warn!)).toMatchObject({ code: '500', severity: 'Warn' });
    expect(status(warn!).message).toContain('("Nobody")');
    const [info] = responses(company('status-1').process(requestSet(byName)));
    expect(status(info!)).toMatchObject({ code: '1', severity: 'Info' });
    const [filter] = responses(company().process(requestSet(`<SalesReceiptQueryRq><RefNumberFilter><MatchCriterion>StartsWith</MatchCriterion><RefNumber>B-</RefNumber></RefNumberFilter></SalesReceiptQueryRq>`)));
    expect(status(filter!).code).toBe('1');
    const [found] = responses(company().process(requestSet(`<CustomerQueryRq><FullName>jane doe</FullName></CustomerQueryRq>`)));
    expect(childText(childNamed(found!, 'CustomerRet')!, 'Name')).toBe('Jane Doe');
  });

  it('finds a booked receipt by RefNumber, and lists items and tax codes', () => {
    const qb = company();
    responses(qb.process(requestSet(receipt('1001'))));
    const [byRef, items, codes] = responses(
      qb.process(
        requestSet(
          `<SalesReceiptQueryRq><RefNumberCaseSensitive>1001</RefNumberCaseSensitive><IncludeLineItems>true</IncludeLineItems></SalesReceiptQueryRq>` +
            `<ItemQueryRq><ActiveStatus>All</ActiveStatus></ItemQueryRq><SalesTaxCodeQueryRq />`,
        ),
      ),
    );
    expect(childText(childNamed(byRef!, 'SalesReceiptRet')!, 'Memo')).toBe('ledgerbridge order #1001');
    expect(items!.children.map((c) => c.local)).toEqual(['ItemNonInventoryRet', 'ItemServiceRet', 'ItemSalesTaxRet']);
    expect(codes!.children.map((c) => childText(c, 'Name'))).toEqual(['Tax', 'Non']);
  });

  it('lists the sales receipts of a TxnDateRangeFilter, both days included; refuses a date not YYYY-MM-DD and the filter out of schema order', () => {
    const qb = company();
    for (const [ref, day] of [['D-0', '2026-10-31'], ['D-1', '2026-11-01'], ['D-2', '2026-11-30'], ['D-3', '2026-12-01']] as const) {
      responses(qb.process(requestSet(receipt(ref).replace('<TxnDate>2026-11-29</TxnDate>', `<TxnDate>${day}</TxnDate>`))));
    }
    const range = (from: string, to: string) => `<TxnDateRangeFilter><FromTxnDate>${from}</FromTxnDate><ToTxnDate>${to}</ToTxnDate></TxnDateRangeFilter>`;
    const [november] = responses(qb.process(requestSet(`<SalesReceiptQueryRq>${range('2026-11-01', '2026-11-30')}</SalesReceiptQueryRq>`)));
    expect(status(november!).code).toBe('0');
    expect(november!.children.map((ret) => childText(ret, 'RefNumber'))).toEqual(['D-1', 'D-2']);
    const [none] = responses(qb.process(requestSet(`<SalesReceiptQueryRq>${range('2027-01-01', '2027-01-31')}</SalesReceiptQueryRq>`)));
    expect(status(none!).code).toBe('1');

    const parseError = { kind: 'error', hresult: '0x80040400', message: 'QuickBooks found an error when parsing the provided XML text stream.' };
    expect(qb.process(requestSet(`<SalesReceiptQueryRq>${range('11/01/2026', '2026-11-30')}</SalesReceiptQueryRq>`))).toEqual(parseError);
    expect(qb.lastFindings[0]).toMatchObject({ kind: 'structure', detail: expect.stringContaining('"11/01/2026" is not a date (YYYY-MM-DD)') });
    expect(qb.process(requestSet(`<SalesReceiptQueryRq><RefNumberFilter><MatchCriterion>StartsWith</MatchCriterion><RefNumber>D-</RefNumber></RefNumberFilter>${range('2026-11-01', '2026-11-30')}</SalesReceiptQueryRq>`))).toEqual(parseError);
    expect(qb.lastFindings[0]).toMatchObject({ kind: 'structure', detail: 'TxnDateRangeFilter is not allowed after RefNumberFilter in SalesReceiptQueryRq (schema order)' });
  });

  it('stops at the first error with stopOnError and goes on with continueOnError', () => {
    const body = `<CustomerAddRq requestID="1"><CustomerAdd><Name>Jane Doe</Name></CustomerAdd></CustomerAddRq><CustomerQueryRq requestID="2" />`;
    expect(responses(company().process(requestSet(body, 'stopOnError'))).map((r) => r.attributes.statusCode)).toEqual(['3100']);
    expect(responses(company().process(requestSet(body, 'continueOnError'))).map((r) => r.attributes.statusCode)).toEqual(['3100', '0']);
  });

  it('plays injected save errors and a closed company file', () => {
    const qb = company();
    qb.failNext('SalesReceiptAdd', statusSaveError('Sales Receipt', 'This list has been modified by another user.'));
    expect(status(responses(qb.process(requestSet(receipt('1001'))))[0]!).code).toBe('3180');
    expect(status(responses(qb.process(requestSet(receipt('1001'))))[0]!).code).toBe('0');
    qb.closeCompanyFile();
    expect(qb.process(requestSet(receipt('1002')))).toEqual({ kind: 'error', hresult: '0x80040408', message: 'Could not start QuickBooks.' });
    expect(qb.company.salesReceipts).toHaveLength(1);
  });

  it('answers host, company and preferences queries (and the Web Connector\'s strHCPResponse) in schema order', () => {
    const qb = company();
    const rs = responses(qb.process(requestSet('<HostQueryRq /><CompanyQueryRq /><PreferencesQueryRq />')));
    expect(rs.map((r) => r.attributes.statusCode)).toEqual(['0', '0', '0']);
    const salesTax = childNamed(childNamed(rs[2]!, 'PreferencesRet')!, 'SalesTaxPreferences')!;
    expect(childText(childNamed(salesTax, 'DefaultItemSalesTaxRef')!, 'FullName')).toBe('CA Sales Tax');
    const hcp = parseXml(qb.hostCompanyResponse()).root.children[0]!.children;
    expect(hcp.map((r) => r.local)).toEqual(['HostQueryRs', 'CompanyQueryRs', 'PreferencesQueryRs']);
    for (const r of hcp) expect(checkQbxmlElement(r, QBXML_SCHEMA.responses[r.local]!)).toEqual([]);
  });

  const creditMemo = (refNumber: string, lines = '<CreditMemoLineAdd><ItemRef><FullName>tee-blu-l</FullName></ItemRef><Desc>Tee</Desc><Quantity>1</Quantity><Amount>20.00</Amount><SalesTaxCodeRef><FullName>Tax</FullName></SalesTaxCodeRef></CreditMemoLineAdd>') =>
    `<CreditMemoAddRq requestID="3"><CreditMemoAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><TxnDate>2026-11-30</TxnDate><RefNumber>${refNumber}</RefNumber>` +
    `<ItemSalesTaxRef><FullName>CA Sales Tax</FullName></ItemSalesTaxRef><Memo>ledgerbridge refund</Memo>${lines}</CreditMemoAdd></CreditMemoAddRq>`;
  const refundOf = (txnId: string, amount: string, account = 'Undeposited Funds') =>
    `<ARRefundCreditCardAddRq requestID="4"><ARRefundCreditCardAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><RefundFromAccountRef><FullName>${account}</FullName></RefundFromAccountRef>` +
    `<TxnDate>2026-11-30</TxnDate><RefNumber>1001-R1</RefNumber><RefundAppliedToTxnAdd><TxnID>${txnId}</TxnID><RefundAmount>${amount}</RefundAmount></RefundAppliedToTxnAdd></ARRefundCreditCardAdd></ARRefundCreditCardAddRq>`;

  it('books a credit memo holding its total as credit, refunds it out of Undeposited Funds, and finds it by RefNumber: answers in schema order', () => {
    const qb = company();
    const [added] = responses(qb.process(requestSet(creditMemo('1001-R1'))));
    expect(status(added!).code).toBe('0');
    const memo = childNamed(added!, 'CreditMemoRet')!;
    // 20.00 taxable at 7.25 %.
    expect([childText(memo, 'RefNumber'), childText(memo, 'TotalAmount'), childText(memo, 'CreditRemaining')]).toEqual(['1001-R1', '21.45', '21.45']);

    // More than the credit left is refused and changes nothing; the rest is paid out once.
    const [tooMuch] = responses(qb.process(requestSet(refundOf(childText(memo, 'TxnID')!, '21.46'))));
    expect(status(tooMuch!).code).toBe('3180');
    const [refunded] = responses(qb.process(requestSet(refundOf(childText(memo, 'TxnID')!, '21.45'))));
    expect(status(refunded!).code).toBe('0');
    const applied = childNamed(childNamed(refunded!, 'ARRefundCreditCardRet')!, 'RefundAppliedToTxnRet')!;
    expect([childText(applied, 'TxnType'), childText(applied, 'CreditRemaining'), childText(applied, 'RefundAmount')]).toEqual(['CreditMemo', '0.00', '21.45']);

    const [found] = responses(qb.process(requestSet('<CreditMemoQueryRq requestID="5"><RefNumberCaseSensitive>1001-R1</RefNumberCaseSensitive></CreditMemoQueryRq>')));
    expect(childText(childNamed(found!, 'CreditMemoRet')!, 'CreditRemaining')).toBe('0.00');
    expect(status(responses(qb.process(requestSet('<CreditMemoQueryRq requestID="6"><RefNumberCaseSensitive>1001-R2</RefNumberCaseSensitive></CreditMemoQueryRq>')))[0]!).code).toBe('500');
  });

  it('takes a line of a sales tax item with its amount as sent (a tax rounding adjustment, untaxed, in the total), or works it out in the other variant; one without an Amount is not emulated (3180) and books nothing', () => {
    const qb = company();
    const adjustment = '<CreditMemoLineAdd><ItemRef><FullName>CA Sales Tax</FullName></ItemRef><Desc>CA Sales Tax rounding</Desc><Amount>0.01</Amount></CreditMemoLineAdd>';
    const tee = '<CreditMemoLineAdd><ItemRef><FullName>tee-blu-l</FullName></ItemRef><Desc>Tee</Desc><Quantity>1</Quantity><Amount>20.00</Amount><SalesTaxCodeRef><FullName>Tax</FullName></SalesTaxCodeRef></CreditMemoLineAdd>';
    const [added] = responses(qb.process(requestSet(creditMemo('1001-R1', tee + adjustment))));
    expect(status(added!).code).toBe('0');
    const memo = childNamed(added!, 'CreditMemoRet')!;
    // 20.00 taxable at 7.25 % (1.45, the sales tax item of the memo), and the cent on the sales tax item's own line.
    expect([childText(memo, 'SalesTaxTotal'), childText(memo, 'TotalAmount')]).toEqual(['1.45', '21.46']);
    expect(qb.company.creditMemos[0]!.lines.map((line) => [line.itemName, line.amount, line.salesTaxCodeName])).toEqual([
      ['tee-blu-l', '20.00', 'Tax'],
      ['CA Sales Tax', '0.01', undefined],
    ]);

    const [refused] = responses(qb.process(requestSet(creditMemo('1001-R2', tee + adjustment.replace('<Amount>0.01</Amount>', '')))));
    expect(status(refused!).code).toBe('3180');
    expect(qb.company.creditMemos.map((m) => m.refNumber)).toEqual(['1001-R1']);

    // The other variant (unconfirmed whether the SDK keeps the amount): the item's rate on the line above, 7.25 % of 20.00.
    qb.salesTaxLineAmount = 'worked-out';
    const [workedOut] = responses(qb.process(requestSet(creditMemo('1001-R3', tee + adjustment))));
    expect(childText(childNamed(workedOut!, 'CreditMemoRet')!, 'TotalAmount')).toBe('22.90');
    // A bookkeeper types the line over (control): the last line takes the difference, the credit is the new total.
    const corrected = qb.company.correctCreditMemo(childText(childNamed(workedOut!, 'CreditMemoRet')!, 'TxnID')!, '21.46');
    expect([corrected.lines.at(-1)!.amount, corrected.totalAmount, corrected.creditRemaining]).toEqual(['0.01', '21.46', '21.46']);
  });

  it('refuses a credit memo without a customer (the schema requires CustomerRef) and a refund from an account it does not know', () => {
    const qb = company();
    const noCustomer = creditMemo('1001-R1').replace('<CustomerRef><FullName>Jane Doe</FullName></CustomerRef>', '');
    expect(qb.process(requestSet(noCustomer))).toMatchObject({ kind: 'error', hresult: '0x80040400' });
    const [added] = responses(qb.process(requestSet(creditMemo('1001-R1'))));
    const txnId = childText(childNamed(added!, 'CreditMemoRet')!, 'TxnID')!;
    const [wrongAccount] = responses(qb.process(requestSet(refundOf(txnId, '1.00', 'Petty Cash'))));
    expect(status(wrongAccount!).code).toBe('3140');
    expect(qb.company.arRefunds).toHaveLength(0);
  });

  it('multiple currencies: off refuses a customer currency and an exchange rate; on, a customer in euros from the currency list books its receipts in euros at the rate sent', () => {
    const qb = company();
    const euroCustomer = (currencyRef: string) => `<CustomerAddRq><CustomerAdd><Name>Chloé Dubois (EUR)</Name>${currencyRef}</CustomerAdd></CustomerAddRq>`;
    const [offCustomer] = responses(qb.process(requestSet(euroCustomer('<CurrencyRef><FullName>Euro</FullName></CurrencyRef>'))));
    expect(status(offCustomer!)).toMatchObject({ code: '3180', severity: 'Error' });
    const [offRate] = responses(qb.process(requestSet(receipt('1001', '<ExchangeRate>1.1</ExchangeRate>'))));
    expect(status(offRate!)).toMatchObject({ code: '3180', severity: 'Error' });
    const [offPreferences] = responses(qb.process(requestSet('<PreferencesQueryRq><IncludeRetElement>MultiCurrencyPreferences</IncludeRetElement></PreferencesQueryRq>')));
    expect(childText(childNamed(childNamed(offPreferences!, 'PreferencesRet')!, 'MultiCurrencyPreferences')!, 'IsMultiCurrencyOn')).toBe('false');

    qb.company.currencies.multiCurrencyOn = true;
    const [preferences, list] = responses(qb.process(requestSet('<PreferencesQueryRq /><CurrencyQueryRq />')));
    const home = childNamed(childNamed(childNamed(preferences!, 'PreferencesRet')!, 'MultiCurrencyPreferences')!, 'HomeCurrencyRef')!;
    const currencies = list!.children.filter((c) => c.local === 'CurrencyRet');
    expect(currencies.find((c) => childText(c, 'ListID') === childText(home, 'ListID')) && childText(currencies.find((c) => childText(c, 'ListID') === childText(home, 'ListID'))!, 'CurrencyCode')).toBe('USD');
    const euro = currencies.find((c) => childText(c, 'CurrencyCode') === 'EUR')!;
    const [unknown] = responses(qb.process(requestSet(euroCustomer('<CurrencyRef><ListID>80000999-1</ListID></CurrencyRef>'))));
    expect(status(unknown!).code).toBe('3140');
    const [added] = responses(qb.process(requestSet(euroCustomer(`<CurrencyRef><ListID>${childText(euro, 'ListID')!}</ListID></CurrencyRef>`))));
    expect(childText(childNamed(childNamed(added!, 'CustomerRet')!, 'CurrencyRef')!, 'ListID')).toBe(childText(euro, 'ListID'));
    const inEuros = receipt('1002', '<ExchangeRate>1.1</ExchangeRate>').replace('<FullName>Jane Doe</FullName>', '<FullName>Chloé Dubois (EUR)</FullName>');
    const [booked] = responses(qb.process(requestSet(inEuros)));
    const ret = childNamed(booked!, 'SalesReceiptRet')!;
    expect([childText(childNamed(ret, 'CurrencyRef')!, 'FullName'), childText(ret, 'ExchangeRate'), childText(ret, 'TotalAmount'), childText(ret, 'TotalAmountInHomeCurrency')]).toEqual(['Euro', '1.1', '42.90', '47.19']);
  });

  const depositLine = (account: string, amount: string, extra = '') =>
    `<DepositLineAdd>${extra}<AccountRef><FullName>${account}</FullName></AccountRef><Memo>line</Memo><Amount>${amount}</Amount></DepositLineAdd>`;
  const deposit = (lines: string, { to = 'Checking', memo = 'Shopify #1 payout 9001, booked by ledgerbridge.', cashBack = '' } = {}) =>
    `<DepositAddRq requestID="7"><DepositAdd><TxnDate>2026-11-30</TxnDate><DepositToAccountRef><FullName>${to}</FullName></DepositToAccountRef>` +
    `<Memo>${memo}</Memo>${cashBack}${lines}</DepositAdd></DepositAddRq>`;
  const receiptInto = (refNumber: string, account: string) => receipt(refNumber, '').replace('</Memo>', `</Memo><DepositToAccountRef><FullName>${account}</FullName></DepositToAccountRef>`);

  it('deposits a receipt to the account it names and a deposit out of it, with its cash back: balances move, answers in schema order', () => {
    const qb = company();
    const [sold] = responses(qb.process(requestSet(receiptInto('1001', 'shopify clearing'))));
    expect(childText(childNamed(childNamed(sold!, 'SalesReceiptRet')!, 'DepositToAccountRef')!, 'FullName')).toBe('Shopify Clearing');
    expect(qb.company.accountBalance('Shopify Clearing')).toBe('42.90');

    const cashBack = '<CashBackInfoAdd><AccountRef><FullName>Shopify Fees</FullName></AccountRef><Memo>fees</Memo><Amount>1.50</Amount></CashBackInfoAdd>';
    const [added] = responses(qb.process(requestSet(deposit(depositLine('Shopify Clearing', '42.90'), { cashBack }))));
    expect(status(added!).code).toBe('0');
    const ret = childNamed(added!, 'DepositRet')!;
    expect([childText(ret, 'DepositTotal'), childText(childNamed(ret, 'CashBackInfoRet')!, 'Amount'), childText(childNamed(ret, 'DepositLineRet')!, 'Amount')]).toEqual(['41.40', '1.50', '42.90']);
    expect(['Shopify Clearing', 'Checking', 'Shopify Fees'].map((name) => qb.company.accountBalance(name))).toEqual(['0.00', '41.40', '1.50']);

    // Found again by a date range (a deposit has no RefNumber), with its Memo; a range without it finds nothing (1).
    const query = (from: string, to: string) => `<DepositQueryRq requestID="8"><TxnDateRangeFilter><FromTxnDate>${from}</FromTxnDate><ToTxnDate>${to}</ToTxnDate></TxnDateRangeFilter></DepositQueryRq>`;
    const [found] = responses(qb.process(requestSet(query('2026-11-23', '2026-12-07'))));
    expect(childText(childNamed(found!, 'DepositRet')!, 'Memo')).toBe('Shopify #1 payout 9001, booked by ledgerbridge.');
    expect(status(responses(qb.process(requestSet(query('2026-12-01', '2026-12-07'))))[0]!).code).toBe('1');
    // IncludeRetElement trims the answer to the elements named.
    const trimmed = query('2026-11-23', '2026-12-07').replace('</DepositQueryRq>', '<IncludeRetElement>TxnID</IncludeRetElement><IncludeRetElement>Memo</IncludeRetElement></DepositQueryRq>');
    expect(childNamed(responses(qb.process(requestSet(trimmed)))[0]!, 'DepositRet')!.children.map((c) => c.local)).toEqual(['TxnID', 'Memo']);
    const [accounts] = responses(qb.process(requestSet('<AccountQueryRq requestID="9"><FullName>checking</FullName><FullName>Savings</FullName></AccountQueryRq>')));
    expect([status(accounts!).code, childText(childNamed(accounts!, 'AccountRet')!, 'AccountType')]).toEqual(['500', 'Bank']);
  });

  it('refuses a deposit to or from an account, or naming a customer, it does not have (3140), and nothing is booked', () => {
    const qb = company();
    expect(status(responses(qb.process(requestSet(deposit(depositLine('Shopify Clearing', '1.00'), { to: 'Savings' }))))[0]!).code).toBe('3140');
    expect(status(responses(qb.process(requestSet(deposit(depositLine('Petty Cash', '1.00')))))[0]!).code).toBe('3140');
    const stranger = '<EntityRef><FullName>Sam Roe</FullName></EntityRef>';
    expect(status(responses(qb.process(requestSet(deposit(depositLine('Shopify Clearing', '1.00', stranger)))))[0]!).code).toBe('3140');
    expect(status(responses(qb.process(requestSet(receiptInto('1001', 'Savings'))))[0]!).code).toBe('3140');
    expect([qb.company.deposits.length, qb.company.salesReceipts.length]).toEqual([0, 0]);
  });

  it('refuses a deposit naming a currency or an exchange rate while multiple currencies are off (3180), and books nothing', () => {
    const qb = company();
    const inPounds = (element: string) => responses(qb.process(requestSet(deposit(depositLine('Shopify Clearing', '1.00'), { cashBack: element }))))[0]!;
    for (const element of ['<CurrencyRef><FullName>British Pound Sterling</FullName></CurrencyRef>', '<ExchangeRate>1.25</ExchangeRate>']) {
      expect(status(inPounds(element))).toMatchObject({ code: '3180', message: expect.stringContaining('Multiple currencies are not turned on') });
    }
    expect(qb.company.deposits).toHaveLength(0);
    expect(status(responses(qb.process(requestSet(deposit(depositLine('Shopify Clearing', '1.00')))))[0]!).code).toBe('0');
  });

  it('answers a deposit over the lengths of the schema with 3070 (account 159, memo 4095, name 209) and books nothing', () => {
    const qb = company();
    const tooLong = [
      deposit(depositLine('Shopify Clearing', '1.00'), { to: 'C'.repeat(160) }),
      deposit(depositLine('Shopify Clearing', '1.00'), { memo: 'm'.repeat(4096) }),
      deposit(depositLine('Shopify Clearing', '1.00', `<EntityRef><FullName>${'J'.repeat(210)}</FullName></EntityRef>`)),
    ];
    for (const request of tooLong) {
      const [answer] = responses(qb.process(requestSet(request)));
      expect(status(answer!)).toMatchObject({ code: '3070', severity: 'Error' });
    }
    expect(qb.company.deposits).toHaveLength(0);
    // At the limit it is booked.
    expect(status(responses(qb.process(requestSet(deposit(depositLine('Shopify Clearing', '1.00'), { memo: 'm'.repeat(4095) }))))[0]!).code).toBe('0');
  });

  it('takes a negative deposit line, or refuses it with 3180 in the other variant (unconfirmed which QuickBooks does)', () => {
    const lines = depositLine('Shopify Clearing', '48.00') + depositLine('Shopify Fees', '-1.64');
    const accepting = company();
    const [taken] = responses(accepting.process(requestSet(deposit(lines))));
    expect([status(taken!).code, childText(childNamed(taken!, 'DepositRet')!, 'DepositTotal')]).toEqual(['0', '46.36']);
    const refusing = company('status-500', 'refuse');
    const [refused] = responses(refusing.process(requestSet(deposit(lines))));
    expect(status(refused!)).toMatchObject({ code: '3180', severity: 'Error' });
    expect(status(refused!).message).toContain('cannot be negative');
    expect(refusing.company.deposits).toHaveLength(0);
  });

  describe('multiple currencies on: accounts and deposits carry a currency', () => {
    const multiCurrency = (foreignDepositCashBack?: 'home-or-deposit-currency' | 'deposit-currency-only') =>
      new QbdCompanyEmulator({
        company: {
          companyName: 'Desk Books Inc',
          companyFilePath: 'C:\\Company\\desk.qbw',
          multiCurrencyOn: true,
          exchangeRates: { GBP: '1.25', EUR: '1.08' },
          accounts: [
            { name: 'Checking', type: 'Bank' },
            { name: 'Barclays GBP', type: 'Bank', currency: 'GBP' },
            { name: 'Euro Bank', type: 'Bank', currency: 'EUR' },
            { name: 'Shopify Clearing', type: 'OtherCurrentAsset' },
            { name: 'Shopify Fees', type: 'Expense' },
          ],
        },
        ...(foreignDepositCashBack ? { foreignDepositCashBack } : {}),
        now: () => new Date('2026-11-29T12:00:00Z'),
      });
    const currencyRef = (name: string) => `<CurrencyRef><FullName>${name}</FullName></CurrencyRef>`;
    const fees = (amount: string) => `<CashBackInfoAdd><AccountRef><FullName>Shopify Fees</FullName></AccountRef><Memo>fees</Memo><Amount>${amount}</Amount></CashBackInfoAdd>`;
    const depositCurrency = (rs: XmlElement) => {
      const ret = childNamed(rs, 'DepositRet')!;
      return [childText(childNamed(ret, 'CurrencyRef')!, 'FullName'), childText(ret, 'ExchangeRate'), childText(ret, 'DepositTotal'), childText(ret, 'DepositTotalInHomeCurrency')];
    };

    it('AccountQuery names the currency of each bank account (home ones too) while multiple currencies are on, and none while off', () => {
      const qb = multiCurrency();
      const currencies = (rs: XmlElement) =>
        rs.children.filter((c) => c.local === 'AccountRet').map((a) => [childText(a, 'FullName'), childNamed(a, 'CurrencyRef') ? childText(childNamed(a, 'CurrencyRef')!, 'FullName') : null]);
      const ask = () => responses(qb.process(requestSet('<AccountQueryRq><FullName>Checking</FullName><FullName>Barclays GBP</FullName><FullName>Shopify Clearing</FullName></AccountQueryRq>')))[0]!;
      expect(currencies(ask())).toEqual([
        ['Checking', 'US Dollar'],
        ['Barclays GBP', 'British Pound'],
        ['Shopify Clearing', null],
      ]);
      qb.company.currencies.multiCurrencyOn = false;
      expect(currencies(ask()).map(([, currency]) => currency)).toEqual([null, null, null]);
      // Only a bank account takes a currency in a seed.
      expect(() => new QbdCompanyEmulator({ company: { companyName: 'X', companyFilePath: 'C:\\x.qbw', accounts: [{ name: 'Fees', type: 'Expense', currency: 'GBP' }] } })).toThrow(/no currency to a Expense account/);
    });

    it("a deposit is in its account's currency (or the one it names, the same), at the rate sent or the list's, with its total in dollars", () => {
      const qb = multiCurrency();
      const [pounds] = responses(qb.process(requestSet(deposit(depositLine('Shopify Clearing', '40.00'), { to: 'Barclays GBP', cashBack: fees('1.20') }))));
      expect([status(pounds!).code, ...depositCurrency(pounds!)]).toEqual(['0', 'British Pound', '1.25', '38.80', '48.50']);
      const [named] = responses(qb.process(requestSet(deposit(depositLine('Shopify Clearing', '10.00'), { to: 'Barclays GBP', cashBack: currencyRef('British Pound') + '<ExchangeRate>1.3</ExchangeRate>' }))));
      expect(depositCurrency(named!)).toEqual(['British Pound', '1.3', '10.00', '13.00']);
      const [dollars] = responses(qb.process(requestSet(deposit(depositLine('Shopify Clearing', '10.00')))));
      expect(depositCurrency(dollars!)).toEqual(['US Dollar', '1', '10.00', '10.00']);
      expect(qb.company.deposits.map((d) => d.currency?.code)).toEqual(['GBP', 'GBP', 'USD']);
    });

    it('refuses a currency other than its foreign account\'s, a line or cash back account in another foreign currency (3180), an unknown currency (3140); books nothing', () => {
      const qb = multiCurrency();
      const refused = [
        deposit(depositLine('Shopify Clearing', '10.00'), { to: 'Barclays GBP', cashBack: currencyRef('US Dollar') }),
        deposit(depositLine('Shopify Clearing', '10.00'), { to: 'Barclays GBP', cashBack: currencyRef('Euro') }),
        deposit(depositLine('Euro Bank', '10.00'), { to: 'Barclays GBP' }),
        deposit(depositLine('Shopify Clearing', '10.00'), { cashBack: '<CashBackInfoAdd><AccountRef><FullName>Euro Bank</FullName></AccountRef><Amount>1.00</Amount></CashBackInfoAdd>' }),
      ];
      for (const request of refused) expect(status(responses(qb.process(requestSet(request)))[0]!)).toMatchObject({ code: '3180', severity: 'Error' });
      const [mismatch] = responses(qb.process(requestSet(refused[0]!)));
      expect(status(mismatch!).message).toContain('The currency of the deposit (US Dollar) must be the currency of the account it is deposited to (British Pound).');
      const [unknown] = responses(qb.process(requestSet(deposit(depositLine('Shopify Clearing', '10.00'), { to: 'Barclays GBP', cashBack: currencyRef('Pound of Narnia') }))));
      expect(status(unknown!).code).toBe('3140');
      expect(qb.company.deposits).toHaveLength(0);
    });

    it('takes pounds into a dollar account only with a cash back in pounds; keeps a pound account\'s fees in a dollar account in one variant only', () => {
      const qb = multiCurrency();
      const [into] = responses(qb.process(requestSet(deposit(depositLine('Shopify Clearing', '10.00'), { cashBack: currencyRef('British Pound') }))));
      expect(depositCurrency(into!)).toEqual(['British Pound', '1.25', '10.00', '12.50']);
      const [withFees] = responses(qb.process(requestSet(deposit(depositLine('Shopify Clearing', '10.00'), { cashBack: fees('1.00') + currencyRef('British Pound') }))));
      expect(status(withFees!)).toMatchObject({ code: '3180', message: expect.stringContaining('The cash back account is in US Dollar, not in the currency of the deposit (British Pound).') });

      const strict = multiCurrency('deposit-currency-only');
      const [kept] = responses(strict.process(requestSet(deposit(depositLine('Shopify Clearing', '40.00'), { to: 'Barclays GBP', cashBack: fees('1.20') }))));
      expect(status(kept!).code).toBe('3180');
      expect(strict.company.deposits).toHaveLength(0);
      // Without a cash back the same deposit is taken in that variant too.
      expect(status(responses(strict.process(requestSet(deposit(depositLine('Shopify Clearing', '40.00'), { to: 'Barclays GBP' }))))[0]!).code).toBe('0');
    });
  });

  describe('modifications of list records (CustomerMod, Item…Mod)', () => {
    const read = (qb: QbdCompanyEmulator, query: string, name: string) => {
      const [rs] = responses(qb.process(requestSet(`<${query}Rq><FullName>${name}</FullName></${query}Rq>`)));
      const ret = rs!.children[0]!;
      return { listId: childText(ret, 'ListID')!, editSequence: childText(ret, 'EditSequence')! };
    };
    const customerMod = (listId: string, editSequence: string, fields: string) =>
      requestSet(`<CustomerModRq><CustomerMod><ListID>${listId}</ListID><EditSequence>${editSequence}</EditSequence>${fields}</CustomerMod></CustomerModRq>`);

    it('modifies a customer at its current EditSequence, only the fields sent, and gives it a new one; the old one is then stale (3200)', () => {
      const qb = company();
      const jane = read(qb, 'CustomerQuery', 'Jane Doe');
      const [rs] = responses(qb.process(customerMod(jane.listId, jane.editSequence, '<Name>Jane Roe</Name><LastName>Roe</LastName>')));
      expect(status(rs!).code).toBe('0');
      const ret = childNamed(rs!, 'CustomerRet')!;
      expect([childText(ret, 'Name'), childText(ret, 'LastName'), childText(ret, 'Email')]).toEqual(['Jane Roe', 'Roe', 'jane@example.com']);
      // Saved within the same second as it was read: the EditSequence still changes.
      expect(childText(ret, 'EditSequence')).not.toBe(jane.editSequence);
      const [stale] = responses(qb.process(customerMod(jane.listId, jane.editSequence, '<Email>jane@roe.example</Email>')));
      expect(status(stale!)).toEqual({ code: '3200', severity: 'Error', message: `The provided edit sequence "${jane.editSequence}" is out-of-date.` });
      expect(qb.company.customers.map((c) => [c.name, c.email])).toEqual([['Jane Roe', 'jane@example.com']]);
    });

    it('refuses a Mod without EditSequence or with fields out of schema order (0x80040400), an over-long name (3070), a taken name (3100) and an unknown ListID (3120)', () => {
      const qb = company();
      qb.process(requestSet(`<CustomerAddRq><CustomerAdd><Name>Sam Roe</Name></CustomerAdd></CustomerAddRq>`));
      const jane = read(qb, 'CustomerQuery', 'Jane Doe');
      const withoutSequence = requestSet(`<CustomerModRq><CustomerMod><ListID>${jane.listId}</ListID><Email>x@example.com</Email></CustomerMod></CustomerModRq>`);
      expect(qb.process(withoutSequence)).toMatchObject({ kind: 'error', hresult: '0x80040400' });
      expect(qb.lastFindings).toEqual([expect.objectContaining({ kind: 'structure', detail: 'CustomerMod requires EditSequence' })]);
      expect(qb.process(customerMod(jane.listId, jane.editSequence, '<Email>x@example.com</Email><LastName>Roe</LastName>'))).toMatchObject({ kind: 'error', hresult: '0x80040400' });
      const codes = [`<Name>${'J'.repeat(42)}</Name>`, '<Name>SAM ROE</Name>', '<Name>Acme Supplies</Name>'].map((fields) => status(responses(qb.process(customerMod(jane.listId, jane.editSequence, fields)))[0]!).code);
      expect(codes).toEqual(['3070', '3100', '3100']);
      expect(status(responses(qb.process(customerMod('80000099-1700000000', '1', '<Name>Nobody</Name>')))[0]!).code).toBe('3120');
      expect(qb.company.customers.map((c) => c.name)).toEqual(['Jane Doe', 'Sam Roe']);
    });

    it('prices an item with the Mod of its own type; another type\'s Mod finds nothing (3120) and a bookkeeper\'s save in between makes it stale (3200)', () => {
      const qb = company();
      const tee = read(qb, 'ItemQuery', 'tee-blu-l');
      const priced = (mod: string, editSequence: string) =>
        requestSet(`<${mod}Rq><${mod}><ListID>${tee.listId}</ListID><EditSequence>${editSequence}</EditSequence><SalesOrPurchaseMod><Price>22.50</Price></SalesOrPurchaseMod></${mod}></${mod}Rq>`);
      expect(status(responses(qb.process(priced('ItemServiceMod', tee.editSequence)))[0]!).code).toBe('3120');
      // Price before Desc is out of the schema's order inside SalesOrPurchaseMod.
      const outOfOrder = priced('ItemNonInventoryMod', tee.editSequence).replace('<Price>22.50</Price>', '<Price>22.50</Price><Desc>Tee</Desc>');
      expect(qb.process(outOfOrder)).toMatchObject({ kind: 'error', hresult: '0x80040400' });
      qb.company.editAfterNextRead(tee.listId, (item) => (item.name = 'TEE-BLU-L'));
      const reread = read(qb, 'ItemQuery', 'tee-blu-l');
      expect(status(responses(qb.process(priced('ItemNonInventoryMod', reread.editSequence)))[0]!).code).toBe('3200');
      const fresh = read(qb, 'ItemQuery', 'tee-blu-l');
      const [rs] = responses(qb.process(priced('ItemNonInventoryMod', fresh.editSequence)));
      expect(status(rs!).code).toBe('0');
      const ret = childNamed(rs!, 'ItemNonInventoryRet')!;
      expect([childText(ret, 'Name'), childText(childNamed(ret, 'SalesOrPurchase')!, 'Price'), childText(childNamed(ret, 'SalesOrPurchase')!, 'Desc')]).toEqual([
        'TEE-BLU-L',
        '22.50',
        'Organic Cotton Tee Blue L',
      ]);
      expect(status(responses(qb.process(requestSet(`<ItemNonInventoryModRq><ItemNonInventoryMod><ListID>${tee.listId}</ListID><EditSequence>${childText(ret, 'EditSequence')}</EditSequence><Name>Old Mug</Name></ItemNonInventoryMod></ItemNonInventoryModRq>`)))[0]!).code).toBe('3100');
    });
  });
});
