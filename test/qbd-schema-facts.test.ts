import { describe, expect, it } from 'vitest';
import { QBXML_SCHEMA, qbxmlChildOrder, qbxmlMaxLength } from '../emulators/qbd/schema-facts.js';

/**
 * The qbXML facts the QBD emulator enforces come from Intuit's qbXML 16.0 XSDs (source recorded in the facts and
 * in emulators/qbd/FIDELITY.md), and they agree with the limits in ../shared/platforms/quickbooks-desktop.md §7.
 */
describe('qbXML schema facts', () => {
  it('name the XSDs they were derived from', () => {
    expect(QBXML_SCHEMA.source).toMatchObject({
      repository: 'jsgoupil/quickbooks-sync',
      qbxmlVersion: '16.0',
      derivedBy: 'scripts/derive-qbxml-schema-facts.py',
    });
    expect(QBXML_SCHEMA.source.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(Object.keys(QBXML_SCHEMA.requests)).toEqual(
      expect.arrayContaining(['CustomerQueryRq', 'CustomerAddRq', 'ItemQueryRq', 'SalesTaxCodeQueryRq', 'SalesReceiptQueryRq', 'SalesReceiptAddRq', 'HostQueryRq', 'CompanyQueryRq', 'AccountQueryRq', 'DepositQueryRq', 'DepositAddRq']),
    );
  });

  it('hold the lengths the platform notes give for the requests we send', () => {
    const lengths: [string[], number][] = [
      [['SalesReceiptAdd', 'RefNumber'], 11],
      [['SalesReceiptAdd', 'Memo'], 4095],
      [['SalesReceiptAdd', 'CheckNumber'], 25],
      [['SalesReceiptAdd', 'Other'], 29],
      [['SalesReceiptAdd', 'CustomerRef', 'FullName'], 209],
      [['SalesReceiptAdd', 'DepositToAccountRef', 'FullName'], 159],
      [['SalesReceiptAdd', 'PaymentMethodRef', 'FullName'], 31],
      [['SalesReceiptAdd', 'CustomerMsgRef', 'FullName'], 101],
      [['SalesReceiptAdd', 'ItemSalesTaxRef', 'FullName'], 31],
      [['SalesReceiptAdd', 'CustomerSalesTaxCodeRef', 'FullName'], 3],
      [['SalesReceiptLineAdd', 'Desc'], 4095],
      [['SalesReceiptLineAdd', 'SalesTaxCodeRef', 'FullName'], 3],
      [['CustomerAdd', 'Name'], 41],
      [['CustomerAdd', 'CompanyName'], 41],
      [['CustomerAdd', 'FirstName'], 25],
      [['CustomerAdd', 'LastName'], 25],
      [['CustomerAdd', 'Email'], 1023],
      [['CustomerAdd', 'Phone'], 21],
      [['SalesTaxCodeRet', 'Name'], 3],
      [['SalesTaxCodeRet', 'Desc'], 31],
      [['ItemServiceRet', 'Name'], 31],
      [['CustomerRet', 'EditSequence'], 16],
      [['SalesReceiptAddRq', 'IncludeRetElement'], 50],
      [['CustomerRet', 'ListID'], 36],
      // DepositAdd (notes §7): the payout's deposit.
      [['DepositAdd', 'DepositToAccountRef', 'FullName'], 159],
      [['DepositAdd', 'Memo'], 4095],
      [['DepositLineAdd', 'EntityRef', 'FullName'], 209],
      [['DepositLineAdd', 'AccountRef', 'FullName'], 159],
      [['DepositLineAdd', 'Memo'], 4095],
      [['DepositLineAdd', 'CheckNumber'], 11],
      [['CashBackInfoAdd', 'AccountRef', 'FullName'], 159],
      [['CashBackInfoAdd', 'Memo'], 4095],
    ];
    expect(lengths.map(([path]) => [path.join('/'), qbxmlMaxLength(path)])).toEqual(lengths.map(([path, max]) => [path.join('/'), max]));
  });

  it('keep the schema order of SalesReceiptAdd and CustomerAdd', () => {
    expect(qbxmlChildOrder(['SalesReceiptAdd']).slice(0, 6)).toEqual(['CustomerRef', 'ClassRef', 'TemplateRef', 'TxnDate', 'RefNumber', 'BillAddress']);
    const order = qbxmlChildOrder(['SalesReceiptAdd']);
    expect(order.indexOf('Memo')).toBeLessThan(order.indexOf('SalesReceiptLineAdd'));
    expect(order.indexOf('ItemSalesTaxRef')).toBeLessThan(order.indexOf('Memo'));
    expect(qbxmlChildOrder(['CustomerAdd']).slice(0, 3)).toEqual(['Name', 'IsActive', 'ClassRef']);
    expect(qbxmlChildOrder(['SalesReceiptLineAdd']).slice(0, 4)).toEqual(['ItemRef', 'Desc', 'Quantity', 'UnitOfMeasure']);
  });
});
