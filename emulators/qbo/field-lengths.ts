/**
 * Longest strings QBO accepts on the fields ledgerbridge sends, each with its source. Where Intuit's sources
 * disagree the emulator can play either variant (option `fieldLengths`), and the product must be safe under both.
 *
 * Sources: "xsd" = the documentation inside Intuit's XSDs (schema-facts.json, Product: QBO); "api-reference" =
 * Intuit's API reference via pbrink231/quickbooks-node-promise (see ../shared/platforms/quickbooks-online.md §6).
 */
export type QboFieldLengthVariant = 'api-reference' | 'xsd-documentation';

export interface FieldLength {
  /** Path inside the entity body, dots for nested objects, `[]` for array items. */
  path: string;
  max: number;
  /** A different maximum under the `xsd-documentation` variant. */
  xsdDocumentationMax?: number;
  source: string;
}

const SALES_FORM_LENGTHS: FieldLength[] = [
    { path: 'DocNumber', max: 21, source: 'xsd Transaction.DocNumber (QBO max=21); api-reference [C]' },
    { path: 'PrivateNote', max: 4000, source: 'api-reference [C]; the XSD states none' },
    { path: 'CustomerMemo.value', max: 1000, source: 'xsd SalesTransaction.CustomerMemo (1000 for invoice/receipt messages); api-reference [C]' },
    { path: 'PaymentRefNum', max: 21, source: 'api-reference [C]; the XSD states none' },
    { path: 'Line[].Description', max: 4000, source: 'xsd Line.Description (QBO 4000); api-reference [C]' },
];

export const FIELD_LENGTHS: Record<'SalesReceipt' | 'RefundReceipt' | 'Deposit' | 'Customer' | 'Item' | 'CompanyCurrency', FieldLength[]> = {
  SalesReceipt: SALES_FORM_LENGTHS,
  // RefundReceipt and SalesReceipt both extend SalesTransaction in Intuit's XSD: the same documented lengths.
  RefundReceipt: SALES_FORM_LENGTHS,
  // Deposit extends Transaction: its DocNumber, PrivateNote and line descriptions are the Transaction's.
  Deposit: SALES_FORM_LENGTHS.filter((field) => field.path === 'DocNumber' || field.path === 'PrivateNote' || field.path === 'Line[].Description'),
  Customer: [
    { path: 'DisplayName', max: 500, source: 'api-reference [C]; the XSD states none for DisplayName' },
    { path: 'GivenName', max: 100, xsdDocumentationMax: 25, source: 'api-reference 100 [C] vs xsd NameBase.GivenName (QBO 25): conflict, both played' },
    { path: 'FamilyName', max: 100, xsdDocumentationMax: 15, source: 'api-reference 100 [C] vs xsd NameBase.FamilyName (QBO 15): conflict, both played' },
    { path: 'MiddleName', max: 100, xsdDocumentationMax: 15, source: 'api-reference 100 [C] vs xsd NameBase.MiddleName (QBO 15): conflict, both played' },
    { path: 'PrimaryEmailAddr.Address', max: 100, source: 'xsd EmailAddress.Address (QBO 100); api-reference [C]' },
  ],
  Item: [
    { path: 'Name', max: 100, source: 'xsd Item.Name (QBO 100); api-reference [C]' },
    { path: 'Sku', max: 100, source: 'xsd Item.Sku (QBO 100); api-reference [S]' },
    { path: 'Description', max: 4000, source: 'xsd Item.Description (QBO 4000)' },
  ],
  CompanyCurrency: [{ path: 'Code', max: 3, source: 'xsd CompanyCurrency.Code (QBO Max Length: 3) [C]' }],
};

export function maxLengthFor(field: FieldLength, variant: QboFieldLengthVariant): number {
  return variant === 'xsd-documentation' ? (field.xsdDocumentationMax ?? field.max) : field.max;
}
