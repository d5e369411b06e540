/**
 * qbXML response statuses the emulator answers with, worded as QuickBooks Desktop words them where known.
 * Codes, severities and wording sources: FIDELITY.md §3.
 */
export interface QbxmlStatus {
  statusCode: number;
  statusSeverity: 'Info' | 'Warn' | 'Error';
  statusMessage: string;
}

export const statusOk = (): QbxmlStatus => ({ statusCode: 0, statusSeverity: 'Info', statusMessage: 'Status OK' });

/** A query with filters that found nothing. */
export const statusNoMatch = (): QbxmlStatus => ({
  statusCode: 1,
  statusSeverity: 'Info',
  statusMessage: 'A query request did not find a matching object in QuickBooks',
});

/** A query by ListID/FullName/TxnID/RefNumber naming something QuickBooks does not have. */
export const statusNotFound = (value: string): QbxmlStatus => ({
  statusCode: 500,
  statusSeverity: 'Warn',
  statusMessage: `The query request has not been fully completed. There was a required element ("${value}") that could not be found in QuickBooks.`,
});

export const statusTooLong = (field: string, value: string): QbxmlStatus => ({
  statusCode: 3070,
  statusSeverity: 'Error',
  statusMessage: `The string "${value}" in the field "${field}" is too long.`,
});

export const statusNameInUse = (name: string): QbxmlStatus => ({
  statusCode: 3100,
  statusSeverity: 'Error',
  statusMessage: `The name "${name}" of the list element is already in use.`,
});

/**
 * `list` as QuickBooks names it (Customer, Item, Sales Tax Code); `where` the aggregate holding the reference,
 * e.g. `SalesReceipt line` for a line's ItemRef ("… in the SalesReceipt line.") or `SalesReceipt`.
 */
export const statusInvalidReference = (list: string, value: string, where: string): QbxmlStatus => ({
  statusCode: 3140,
  statusSeverity: 'Error',
  statusMessage: `There is an invalid reference to QuickBooks ${list} "${value}" in the ${where}.  QuickBooks error message: Invalid argument.  The specified record does not exist in the list.`,
});

export const statusSaveError = (object: string, reason: string): QbxmlStatus => ({
  statusCode: 3180,
  statusSeverity: 'Error',
  statusMessage: `There was an error when saving a ${object}.  QuickBooks error message: ${reason}`,
});

export const statusLockNotAcquired = (): QbxmlStatus => ({
  statusCode: 3175,
  statusSeverity: 'Error',
  statusMessage: 'There was an error when modifying a list or transaction. Could not acquire a lock; the record or list is in use by another user.',
});

export const statusEditSequenceOutOfDate = (editSequence = ''): QbxmlStatus => ({
  statusCode: 3200,
  statusSeverity: 'Error',
  statusMessage: `The provided edit sequence "${editSequence}" is out-of-date.`,
});

/** A Mod naming a ListID the list does not have (notes §9: 3120 [S]; wording [U]). */
export const statusObjectNotFound = (listId: string): QbxmlStatus => ({
  statusCode: 3120,
  statusSeverity: 'Error',
  statusMessage: `Object "${listId}" specified in the request cannot be found.`,
});

export const statusRequestIdTooLong = (): QbxmlStatus => ({
  statusCode: 1060,
  statusSeverity: 'Error',
  statusMessage: 'The requestID attribute is too long. It must be 50 characters or less.',
});

/** What QuickBooks' request processor throws for a request set it cannot parse (the whole set, nothing is run). */
export const PARSE_ERROR = { hresult: '0x80040400', message: 'QuickBooks found an error when parsing the provided XML text stream.' } as const;
