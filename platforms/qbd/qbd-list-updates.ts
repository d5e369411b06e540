import type { LedgerCustomerChanges, LedgerItem, LedgerItemChanges } from '../../domain/accounting-target.js';
import { DisplayNameTakenError, LedgerRejectedError } from '../../domain/platform-errors.js';
import type { QbxmlResponse } from './qbxml-envelope.js';
import { childNamed, childText, leaf, type XmlElement, type XmlNode } from './xml-tree.js';

/** One request in its own Web Connector round trip, answered as it came (any status). */
export type QbdAnswer = (request: XmlNode, action: string) => Promise<QbxmlResponse>;

interface ModTarget {
  answer: QbdAnswer;
  /** The error a status other than OK becomes (busy: retryable; else rejected). */
  refusal(response: QbxmlResponse, action: string): Error;
  /** "QuickBooks Desktop #1". */
  name: string;
}

/** The `…Mod` aggregate's fields after ListID and EditSequence, in schema order; empty: nothing differs. */
type ModFields = (current: XmlElement) => XmlNode[];

/** Status 3200: the EditSequence sent is not the record's current one (notes §9 [S]). */
const STALE_EDIT_SEQUENCE = 3200;
/** Status 3100: the name is another list element's (notes §9 [S]). */
const NAME_IN_USE = 3100;

/**
 * Modifies a list record (notes §6: every `…ModRq` carries the record's current `EditSequence` [C]): reads it in
 * one round trip, sends only the fields that differ from what QuickBooks holds in the next (a retry after a lost
 * answer sends nothing, fields we never send stay as the bookkeeper left them). A bookkeeper's save between the
 * read and the Mod makes the EditSequence stale (3200): read again and try once more.
 */
async function modifyListRecord(
  target: ModTarget,
  record: { query: string; label: string; /** The Mod of the record as read (throws for a kind we do not modify). */ mod: (current: XmlElement) => string },
  listId: string,
  fields: ModFields,
): Promise<XmlElement> {
  for (let attempt = 0; ; attempt++) {
    const read = await target.answer({ name: `${record.query}Rq`, children: [leaf('ListID', listId)] }, `the reading of ${record.label} ${listId}`);
    const current = read.statusCode === 0 ? read.rets[0] : undefined;
    if (read.statusCode !== 0 && read.statusCode !== 1 && read.statusCode !== 500) throw target.refusal(read, `the reading of ${record.label} ${listId}`);
    if (!current) {
      throw new LedgerRejectedError(
        'not-found',
        `${target.name} has no ${record.label} ${listId} any more: it was linked to this record. Unlink or restore it, then retry.`,
        `${record.query} ListID ${listId}: status ${read.statusCode}`,
      );
    }
    const mod = record.mod(current);
    const changed = fields(current);
    if (changed.length === 0) return current;
    const name = childText(current, 'FullName') ?? childText(current, 'Name') ?? listId;
    const action = `the update of ${record.label} "${name}"`;
    const response = await target.answer(
      { name: `${mod}Rq`, children: [{ name: mod, children: [leaf('ListID', listId), leaf('EditSequence', childText(current, 'EditSequence')), ...changed] }] },
      action,
    );
    if (response.statusCode === STALE_EDIT_SEQUENCE && attempt === 0) continue;
    if (response.statusCode === NAME_IN_USE) throw new DisplayNameTakenError(`qbd-${NAME_IN_USE}`, `${target.name} has another record with the new name of ${record.label} "${name}".`, response.statusMessage);
    if (response.statusCode !== 0) throw target.refusal(response, action);
    const ret = response.rets.find((r) => r.local === current.local);
    if (!ret) throw target.refusal(response, action);
    return ret;
  }
}

/** A text field to send when the change names it and QuickBooks holds something else. */
function differing(current: XmlElement, element: string, wanted: string | undefined): XmlNode | null {
  return wanted !== undefined && (childText(current, element) ?? '') !== wanted ? leaf(element, wanted) : null;
}

const present = (nodes: (XmlNode | null)[]): XmlNode[] => nodes.filter((node): node is XmlNode => node !== null);

/** `CustomerMod` of the changed name, first and last name and email; `displayName` comes in the customer's currency's form. */
export function modifyCustomer(target: ModTarget, listId: string, changes: LedgerCustomerChanges, nameFor: (current: XmlElement, displayName: string) => string): Promise<XmlElement> {
  return modifyListRecord(target, { query: 'CustomerQuery', label: 'customer', mod: () => 'CustomerMod' }, listId, (current) =>
    present([
      differing(current, 'Name', changes.displayName === undefined ? undefined : nameFor(current, changes.displayName)),
      differing(current, 'FirstName', changes.givenName),
      differing(current, 'LastName', changes.familyName),
      differing(current, 'Email', changes.email),
    ]),
  );
}

/** The Mod of each item type we can price (ItemQuery answers any type, and matched items are the bookkeeper's). */
const ITEM_MODS: Record<string, string> = { ItemServiceRet: 'ItemServiceMod', ItemNonInventoryRet: 'ItemNonInventoryMod', ItemInventoryRet: 'ItemInventoryMod' };

/**
 * The item's name and sales price where they changed, in the item type's Mod: an inventory item holds `SalesPrice`
 * itself; a service or non-inventory item in `SalesOrPurchaseMod/Price`, or `SalesAndPurchaseMod/SalesPrice` when it
 * is also bought (the aggregate it has; sending the other would change what it is).
 */
export async function modifyItem(target: ModTarget, listId: string, changes: LedgerItemChanges): Promise<LedgerItem> {
  const mod = (current: XmlElement): string => {
    const known = ITEM_MODS[current.local];
    if (known) return known;
    throw new LedgerRejectedError(
      'qbd-item-type',
      `${target.name} item "${childText(current, 'FullName') ?? listId}" is of a kind ledgerbridge does not update (${current.local.replace(/^Item|Ret$/g, '')}): update it in ${target.name}.`,
      `${current.local} has no Mod we send`,
    );
  };
  const ret = await modifyListRecord(target, { query: 'ItemQuery', label: 'item', mod }, listId, (current) => {
    const price = (holder: XmlElement | undefined, element: string): XmlNode | null => {
      const now = holder ? childText(holder, element) : undefined;
      return changes.unitPrice !== undefined && (now === undefined || Number(now) !== Number(changes.unitPrice)) ? leaf(element, changes.unitPrice) : null;
    };
    const name = differing(current, 'Name', changes.name);
    if (current.local === 'ItemInventoryRet') return present([name, price(current, 'SalesPrice')]);
    const both = childNamed(current, 'SalesAndPurchase');
    const priceNode = both ? price(both, 'SalesPrice') : price(childNamed(current, 'SalesOrPurchase'), 'Price');
    return present([name, priceNode ? { name: both ? 'SalesAndPurchaseMod' : 'SalesOrPurchaseMod', children: [priceNode] } : null]);
  });
  const name = childText(ret, 'FullName') ?? childText(ret, 'Name') ?? '';
  return { id: childText(ret, 'ListID') ?? listId, name, sku: name, active: childText(ret, 'IsActive') !== 'false' };
}
