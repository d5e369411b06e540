import type { AccountingTarget } from '../domain/accounting-target.js';
import { DisplayNameTakenError } from '../domain/platform-errors.js';
import type { FieldTruncator } from './field-truncator.js';
import { changedOwnedFields, fieldsNotOurs, ownedFieldHashes, type OwnedFields } from './owned-field-hashes.js';
import { againstPlatform } from './sync-failures.js';

/** The link of a store record to its ledger record, as entity_ledger_links keeps it. */
export interface LinkedRecord {
  ledgerId: string;
  ledgerName: string;
  /** Null on links made before edits were kept in step. */
  writtenHashes: Record<string, string> | null;
}

/**
 * What keeping a linked record in step did: `unchanged` (no field we send changed: no request), `updated`,
 * `not-written` (the ledger cannot take updates from us: the bookkeeper must), `baseline` (a link older than this
 * rule: its current values are taken as written, nothing is sent, so nothing is overwritten on a guess).
 */
export interface LinkedRecordEdit {
  outcome: 'unchanged' | 'updated' | 'not-written' | 'baseline';
  /** The changed fields, in the bookkeeper's words ("name", "email"). */
  changed: string[];
  /** The ledger record's name after the edit. */
  ledgerName: string;
  /** What the link keeps as written from now on. */
  hashes: Record<string, string>;
  /** A new name the ledger refused as taken by another record: the rest was written, the name kept. */
  nameKept?: string;
}

interface Ledger {
  target: AccountingTarget;
  /** Its grant generation goes with a credentials failure, as every platform call's does (activities/sync-failures.ts). */
  integration: { id: string; displayName: string; grantGeneration: number };
}

/** The field every linked record has: a customer's display name, an item's name. */
export const NAME = 'name';

const FIELD_WORDS: Record<string, string> = { name: 'name', givenName: 'first name', familyName: 'last name', email: 'email', unitPrice: 'price' };

/**
 * Sends the store's changed fields to the linked record: the name in each of its forms until one is free, else
 * the other fields without it. `write` gets only what changed (a sparse update: nothing else is overwritten).
 */
async function keepInStep<Changes extends Record<string, string>>(
  ledger: Ledger,
  link: LinkedRecord,
  owned: OwnedFields,
  nameForms: () => Promise<string[]>,
  otherChanges: (changed: string[]) => Promise<Partial<Changes>>,
  write: ((changes: Partial<Changes> & { name?: string }) => Promise<{ name: string }>) | null,
): Promise<LinkedRecordEdit> {
  // A link older than this rule cannot tell whether we created the record: its name is taken as the bookkeeper's.
  if (link.writtenHashes === null) return { outcome: 'baseline', changed: [], ledgerName: link.ledgerName, hashes: ownedFieldHashes(owned, [NAME]) };
  const hashes = ownedFieldHashes(owned, fieldsNotOurs(link.writtenHashes));
  const changed = changedOwnedFields(owned, link.writtenHashes);
  const words = changed.map((field) => FIELD_WORDS[field] ?? field);
  if (changed.length === 0) return { outcome: 'unchanged', changed: [], ledgerName: link.ledgerName, hashes };
  if (!write) return { outcome: 'not-written', changed: words, ledgerName: link.ledgerName, hashes };
  const others = await otherChanges(changed);
  const send = (changes: Partial<Changes> & { name?: string }) => againstPlatform(ledger.integration, () => write(changes));
  if (!changed.includes(NAME)) {
    const record = Object.keys(others).length > 0 ? await send(others) : { name: link.ledgerName };
    return { outcome: 'updated', changed: words, ledgerName: record.name, hashes };
  }
  const forms = await nameForms();
  for (const name of forms) {
    const written = await againstPlatform(ledger.integration, () =>
      write({ ...others, name }).then(
        (record) => ({ record }),
        (error: unknown) => {
          // Names are unique in the ledger: another record has this form, try the next one.
          if (!(error instanceof DisplayNameTakenError)) throw error;
          return null;
        },
      ),
    );
    if (written) return { outcome: 'updated', changed: words, ledgerName: written.record.name, hashes };
  }
  const record = Object.keys(others).length > 0 ? await send(others) : { name: link.ledgerName };
  return { outcome: 'updated', changed: words.filter((word) => word !== 'name'), ledgerName: record.name, hashes, nameKept: forms[0]! };
}

/** The store customer's fields we own, as they would be written: the person's name forms, given and family name, email. */
export interface CustomerInStore {
  names: string[];
  givenName: string | null;
  familyName: string | null;
  email: string | null;
}

/** The customer's fields we own, by the names the link's hashes use. */
export function ownedCustomerFields(customer: CustomerInStore): OwnedFields {
  return { name: customer.names[0]!, givenName: customer.givenName, familyName: customer.familyName, email: customer.email };
}

/** Keeps a linked ledger customer in step with the store's customer (see keepInStep). */
export function updateLinkedCustomer(ledger: Ledger, truncator: FieldTruncator, link: LinkedRecord, customer: CustomerInStore): Promise<LinkedRecordEdit> {
  const { target } = ledger;
  const limits = target.limits;
  const owned = ownedCustomerFields(customer);
  const update = target.updateCustomer?.bind(target);
  return keepInStep<{ givenName: string; familyName: string; email: string }>(
    ledger,
    link,
    owned,
    () => Promise.all(customer.names.map((name) => truncator.fit('customer.displayName', name, limits.customerDisplayName))),
    async (changed) => ({
      ...(changed.includes('givenName') ? { givenName: await truncator.fit('customer.givenName', customer.givenName!, limits.personName) } : {}),
      ...(changed.includes('familyName') ? { familyName: await truncator.fit('customer.familyName', customer.familyName!, limits.personName) } : {}),
      // An address longer than the ledger takes is not an address: it is left as the ledger has it.
      ...(changed.includes('email') && customer.email!.length <= limits.email ? { email: customer.email! } : {}),
    }),
    update
      ? async ({ name, ...rest }) => {
          const updated = await update(link.ledgerId, { ...rest, ...(name !== undefined ? { displayName: name } : {}) });
          return { name: updated.displayName };
        }
      : null,
  );
}

/** A variant as its item is named and priced: `baseName` first, else with the SKU. */
export interface ItemInStore {
  baseName: string;
  sku: string;
  price: string;
}

/** The variant's fields we own, by the names the link's hashes use. */
export function ownedItemFields(variant: ItemInStore): OwnedFields {
  return { name: variant.baseName, unitPrice: variant.price };
}

/** Keeps a linked ledger item in step with its variant: the item's name and price. */
export function updateLinkedItem(ledger: Ledger, truncator: FieldTruncator, link: LinkedRecord, variant: ItemInStore): Promise<LinkedRecordEdit> {
  const { target } = ledger;
  const limit = target.limits.itemName ?? 100;
  const update = target.updateItem?.bind(target);
  return keepInStep<{ unitPrice: string }>(
    ledger,
    link,
    ownedItemFields(variant),
    () => Promise.all([variant.baseName, `${variant.baseName} (${variant.sku})`].map((name) => truncator.fit('item.name', name, limit))),
    async (changed) => (changed.includes('unitPrice') ? { unitPrice: variant.price } : {}),
    update ? async (changes) => update(link.ledgerId, changes) : null,
  );
}

/**
 * How an edit reads after the ledger record it was for ("as before", "updated (name, email)"), and what the
 * bookkeeper must still do: an edit the ledger takes no updates for, a new name another record has.
 */
export function describeEdit(edit: LinkedRecordEdit, ledgerName: string): { phrase: string; notice: string | null } {
  const kept = edit.nameKept ? `the new name "${edit.nameKept}" is another record's in ${ledgerName}, so the name was kept` : null;
  if (edit.outcome === 'not-written') {
    const phrase = `edit (${edit.changed.join(', ')}) not written`;
    return { phrase, notice: `${phrase}: update it in ${ledgerName}` };
  }
  if (edit.outcome !== 'updated') return { phrase: 'as before', notice: null };
  const updated = edit.changed.length > 0 ? `updated (${edit.changed.join(', ')})` : 'as before';
  return { phrase: kept ? `${updated}; ${kept}` : updated, notice: kept };
}
