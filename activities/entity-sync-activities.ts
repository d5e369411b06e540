import { and, eq, sql } from 'drizzle-orm';
import type { AccountingTarget, LedgerItem } from '../domain/accounting-target.js';
import { itemNameOf, type StoreProduct, type StoreProductVariant, type SyncedRecordEntity } from '../domain/commerce-entities.js';
import { DisplayNameTakenError } from '../domain/platform-errors.js';
import { SyncErrorType, type ParkReason } from '../domain/sync-error-types.js';
import type { Database } from '../db/database.js';
import { entityLedgerLinks, entitySyncs } from '../db/schema.js';
import { bookkeepingWrite } from './database-failures.js';
import { syncRowValues } from './sync-row-values.js';
import { FieldTruncator } from './field-truncator.js';
import { findOrCreateLedgerCustomer } from './ledger-customer-creation.js';
import { describeEdit, NAME, ownedCustomerFields, ownedItemFields, updateLinkedCustomer, updateLinkedItem, type LinkedRecordEdit } from './linked-record-updates.js';
import { ownedFieldHashes, type OwnedFields } from './owned-field-hashes.js';
import { personNameCandidates } from './ledger-customer-names.js';
import type { RouteConnections } from './route-connections.js';
import { againstPlatform, syncFailure } from './sync-failures.js';

export type EntitySyncRowStatus = 'pending' | 'syncing' | 'synced' | 'skipped' | 'failed' | 'waiting';

export interface EntitySyncRecord {
  routeId: string;
  entity: SyncedRecordEntity;
  sourceId: string;
  workflowId: string;
  status: EntitySyncRowStatus;
  sourceName?: string | null;
  waitingFor?: ParkReason | null;
  waitingOn?: string | null;
  error?: { code: string; message: string } | null;
  newAttempt?: boolean;
}

/** What one run of an entity sync did, in the bookkeeper's words. */
export interface EntitySyncOutcome {
  state: 'synced' | 'skipped';
  sourceName: string | null;
  message: string;
  /** The ledger records it is linked to (a customer; a product's items). */
  ledgerIds: string[];
  /** What the bookkeeper must do although the sync is done: an edit the ledger could not take from us. */
  notice?: { code: string; message: string } | null;
}

/** The status code of an edit written nowhere: the ledger takes no updates from ledgerbridge. */
export const EDIT_NOT_WRITTEN = 'EditNotWritten';

/** Record kinds in entity_ledger_links. */
const CUSTOMER_LINK = 'customer';
const ITEM_LINK = 'item';

export interface EntitySyncActivityDeps {
  db: Database;
  connections: RouteConnections;
}

/**
 * Activities of the customer and product syncs (workflows/entity-sync.ts). Each sync is one idempotent activity:
 * the stored link (store id → ledger id) first, then a lookup in the ledger, and only then a create, so a re-run,
 * a redelivered webhook or an edited record never makes a second ledger record.
 */
export function createEntitySyncActivities({ db, connections }: EntitySyncActivityDeps) {
  const linkOf = async (routeId: string, kind: string, sourceId: string) =>
    (await db.select().from(entityLedgerLinks).where(and(eq(entityLedgerLinks.routeId, routeId), eq(entityLedgerLinks.kind, kind), eq(entityLedgerLinks.sourceId, sourceId))))[0];
  /**
   * Keeps the first link written: two runs racing end on the same ledger record. `owned`: the store's values of the
   * fields we keep in step, as written (created) or found (matched): later edits write only what differs from them.
   * The name of a record we matched is the bookkeeper's: never written.
   */
  const link = async (routeId: string, kind: string, sourceId: string, ledger: { id: string; name: string; created: boolean }, owned: OwnedFields) => {
    await db
      .insert(entityLedgerLinks)
      .values({ routeId, kind, sourceId, ledgerId: ledger.id, ledgerName: ledger.name, writtenHashes: ownedFieldHashes(owned, ledger.created ? [] : [NAME]) })
      .onConflictDoNothing();
    return (await linkOf(routeId, kind, sourceId))!;
  };
  /** What an edit wrote (or took as written) becomes the link's new "last written". */
  const keepEdit = async (routeId: string, kind: string, sourceId: string, edit: LinkedRecordEdit) => {
    if (edit.outcome === 'unchanged') return;
    await db
      .update(entityLedgerLinks)
      .set({ writtenHashes: edit.hashes, ledgerName: edit.ledgerName })
      .where(and(eq(entityLedgerLinks.routeId, routeId), eq(entityLedgerLinks.kind, kind), eq(entityLedgerLinks.sourceId, sourceId)));
  };

  /** The row names the record as soon as it is read, so a failure further on says whose it is. */
  const nameRow = (routeId: string, entity: SyncedRecordEntity, sourceId: string, sourceName: string) =>
    db
      .update(entitySyncs)
      .set({ sourceName })
      .where(and(eq(entitySyncs.routeId, routeId), eq(entitySyncs.entity, entity), eq(entitySyncs.sourceId, sourceId)));

  return {
    async recordEntitySyncState(record: EntitySyncRecord): Promise<void> {
      const now = new Date();
      const { status, waitingFor, waitingOn, error } = record;
      const values = {
        ...syncRowValues({ status, waitingFor, waitingOn, error }, now),
        ...(record.sourceName ? { sourceName: record.sourceName } : {}),
        ...(record.status === 'synced' ? { syncedAt: now } : {}),
      };
      await bookkeepingWrite(`record the state of ${record.entity} ${record.sourceName ?? record.sourceId}`, async () => {
        await db
          .insert(entitySyncs)
          .values({ routeId: record.routeId, entity: record.entity, sourceId: record.sourceId, workflowId: record.workflowId, attempts: record.newAttempt ? 1 : 0, ...values })
          .onConflictDoUpdate({
            target: [entitySyncs.routeId, entitySyncs.entity, entitySyncs.sourceId],
            set: { ...values, workflowId: record.workflowId, ...(record.newAttempt ? { attempts: sql`${entitySyncs.attempts} + 1` } : {}) },
          });
      });
    },

    /** The store's customer as a ledger customer: the linked one, else the one with its email or name, else a new one. */
    async syncCustomerToLedger(input: { routeId: string; customerId: string }): Promise<EntitySyncOutcome> {
      const { integration: store, source } = await connections.commerceSource(input.routeId);
      if (!source.getCustomer) return { state: 'skipped', sourceName: null, message: `${store.displayName} does not share its customers with ledgerbridge.`, ledgerIds: [] };
      const customer = await againstPlatform(store, () => source.getCustomer!(input.customerId));
      if (!customer) return { state: 'skipped', sourceName: null, message: `${store.displayName} has no customer ${input.customerId} (any more): nothing to sync.`, ledgerIds: [] };
      const names = personNameCandidates(customer, customer.email, `Customer ${customer.id}`);
      const sourceName = names[0]!;
      await nameRow(input.routeId, 'customers', input.customerId, sourceName);
      const { integration, target } = await connections.accountingTarget(input.routeId);
      const linked = await linkOf(input.routeId, CUSTOMER_LINK, customer.id);
      const truncator = new FieldTruncator(db, input.routeId, `customer/${customer.id}`);
      const inStore = { names, givenName: customer.firstName, familyName: customer.lastName, email: customer.email };
      if (linked) {
        const edit = await updateLinkedCustomer({ target, integration }, truncator, linked, inStore);
        await keepEdit(input.routeId, CUSTOMER_LINK, customer.id, edit);
        const { phrase, notice } = describeEdit(edit, integration.displayName);
        return {
          state: 'synced',
          sourceName,
          message: `Customer ${sourceName} is ${integration.displayName}'s customer "${edit.ledgerName}" (id ${linked.ledgerId}), ${edit.outcome === 'not-written' ? notice : phrase}.`,
          ledgerIds: [linked.ledgerId],
          notice: notice ? { code: EDIT_NOT_WRITTEN, message: `Customer ${sourceName}: ${notice}.` } : null,
        };
      }
      const found = await findOrCreateLedgerCustomer({ target, integration }, truncator, {
        names,
        email: customer.email,
        givenName: customer.firstName,
        familyName: customer.lastName,
        currency: customer.currency,
        keyBase: `cust:${input.routeId}:${customer.id}`,
        whose: `customer ${sourceName}`,
      });
      const kept = await link(input.routeId, CUSTOMER_LINK, customer.id, { id: found.id, name: found.displayName, created: found.created }, ownedCustomerFields(inStore));
      const how = found.created ? 'created as' : 'matched to';
      return { state: 'synced', sourceName, message: `Customer ${sourceName} ${how} ${integration.displayName}'s customer "${kept.ledgerName}" (id ${kept.ledgerId}).`, ledgerIds: [kept.ledgerId] };
    },

    /** Every variant with a SKU as a ledger item: the linked one, else the one with its SKU, else a new one. */
    async syncProductToLedger(input: { routeId: string; productId: string }): Promise<EntitySyncOutcome> {
      const { integration: store, source } = await connections.commerceSource(input.routeId);
      if (!source.getProduct) return { state: 'skipped', sourceName: null, message: `${store.displayName} does not share its products with ledgerbridge.`, ledgerIds: [] };
      const product = await againstPlatform(store, () => source.getProduct!(input.productId));
      if (!product) return { state: 'skipped', sourceName: null, message: `${store.displayName} has no product ${input.productId} (any more): nothing to sync.`, ledgerIds: [] };
      await nameRow(input.routeId, 'products', input.productId, product.title);
      const ledger = await connections.accountingTarget(input.routeId);
      const withSku = product.variants.filter((variant) => variant.sku);
      const done: string[] = [];
      const notices: string[] = [];
      const ledgerIds: string[] = [];
      for (const variant of withSku) {
        const linked = await linkOf(input.routeId, ITEM_LINK, variant.id);
        const inStore = { baseName: itemNameOf(product, variant).replace(/:/g, ' '), sku: variant.sku!, price: variant.price };
        if (linked) {
          const truncator = new FieldTruncator(db, input.routeId, `product/${product.id}/${variant.id}`);
          const edit = await updateLinkedItem(ledger, truncator, linked, inStore);
          await keepEdit(input.routeId, ITEM_LINK, variant.id, edit);
          const { phrase, notice } = describeEdit(edit, ledger.integration.displayName);
          ledgerIds.push(linked.ledgerId);
          done.push(`${variant.sku} is item "${edit.ledgerName}"${phrase === 'as before' ? ' ' : ', '}${phrase}`);
          if (notice) notices.push(`${variant.sku}: ${notice}`);
          continue;
        }
        const { item, created } = await findOrCreateItem(ledger, product, variant, input.routeId, db);
        const kept = await link(input.routeId, ITEM_LINK, variant.id, { id: item.id, name: item.name, created }, ownedItemFields(inStore));
        ledgerIds.push(kept.ledgerId);
        done.push(`${variant.sku} ${created ? 'created as' : 'matched to'} item "${kept.ledgerName}"`);
      }
      const withoutSku = product.variants.length - withSku.length;
      const skipped = withoutSku > 0 ? ` ${withoutSku} variant${withoutSku === 1 ? ' has' : 's have'} no SKU and ${withoutSku === 1 ? 'was' : 'were'} left out.` : '';
      const summary = done.length > 0 ? `${done.join('; ')} in ${ledger.integration.displayName}.` : `no variant has a SKU: nothing to sync.`;
      const notice = notices.length > 0 ? { code: EDIT_NOT_WRITTEN, message: `Product ${product.title}: ${notices.join('; ')}.` } : null;
      return { state: 'synced', sourceName: product.title, message: `Product ${product.title}: ${summary}${skipped}`, ledgerIds, notice };
    },
  };
}

export type EntitySyncActivities = ReturnType<typeof createEntitySyncActivities>;

/**
 * The ledger's item for a variant's SKU: the item with exactly that SKU, else one whose SKU differs only in case (the
 * same product, typed differently: never a near-duplicate), else a new item where the ledger lets us create one.
 */
async function findOrCreateItem(
  ledger: { target: AccountingTarget; integration: { id: string; displayName: string; grantGeneration: number } },
  product: StoreProduct,
  variant: StoreProductVariant,
  routeId: string,
  db: Database,
): Promise<{ item: LedgerItem; created: boolean }> {
  const { target, integration } = ledger;
  const sku = variant.sku!;
  const sameSku = (items: LedgerItem[]) => items.find((item) => item.sku === sku) ?? items.find((item) => item.sku?.toLowerCase() === sku.toLowerCase());
  // Whether the ledger's lookup ignores case is not certain (QuickBooks: [U]); before creating, the whole list says.
  const match =
    sameSku(await againstPlatform(integration, () => target.findItemsBySku([sku]))) ?? sameSku(await againstPlatform(integration, () => target.listItems()));
  if (match) return { item: match, created: false };
  if (!target.createItem) {
    throw syncFailure(
      SyncErrorType.SkuNotFound,
      `SKU "${sku}" (${itemNameOf(product, variant)}) matches no item in ${integration.displayName}, and ledgerbridge cannot create items there: add an item with SKU "${sku}" in ${integration.displayName}, then retry.`,
      { detail: `findItemsBySku(${sku}) found none; the ledger has no createItem`, integrationId: integration.id, waitingOn: `sku:${sku}` },
    );
  }
  const truncator = new FieldTruncator(db, routeId, `product/${product.id}/${variant.id}`);
  const limit = target.limits.itemName ?? 100;
  const base = itemNameOf(product, variant).replace(/:/g, ' ');
  let refusal: DisplayNameTakenError | null = null;
  for (const candidate of [base, `${base} (${sku})`]) {
    const name = await truncator.fit('item.name', candidate, limit);
    const outcome = await againstPlatform(integration, () =>
      target.createItem!({ name, sku, unitPrice: variant.price }, `item:${routeId}:${variant.id}:${name}`).then(
        (item) => ({ item }),
        (error: unknown) => {
          // Item names are unique in the ledger: another item has this one, try the name with the SKU.
          if (!(error instanceof DisplayNameTakenError)) throw error;
          return { taken: error };
        },
      ),
    );
    if ('item' in outcome) return { item: outcome.item, created: true };
    refusal = outcome.taken;
  }
  throw syncFailure(SyncErrorType.LedgerRejected, `${integration.displayName} already has items named "${base}" and "${base} (${sku})": rename one, or give it SKU "${sku}", then retry.`, {
    detail: `duplicate item name on every candidate${refusal ? ` (code ${refusal.code}: ${refusal.detail})` : ''}`,
    integrationId: integration.id,
    waitingOn: `item-name:${sku}`,
  });
}
