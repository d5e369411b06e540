import type { AccountingTarget } from '../../domain/accounting-target.js';
import type { SyncHarness } from './sync-harness.js';

/** Makes an item or tax code inactive in the ledger just before an order's receipt is written: the ledger then refuses it. */
export class DeactivateBeforeWrite {
  private readonly pending = new Map<string, { entity: 'Item' | 'TaxCode'; id: string }>();
  harness!: SyncHarness;
  /** The next write of document `docNumber` finds that item or tax code inactive. */
  arm(docNumber: string, entity: 'Item' | 'TaxCode', id: string): void {
    this.pending.set(docNumber, { entity, id });
  }
  decorate = (target: AccountingTarget): AccountingTarget =>
    new Proxy(target, {
      get: (object, property, receiver) => {
        if (property !== 'bookSale') return Reflect.get(object, property, receiver);
        return async (...args: Parameters<AccountingTarget['bookSale']>) => {
          const armed = this.pending.get(args[0].docNumber);
          if (armed) {
            this.pending.delete(args[0].docNumber);
            const { control } = this.harness.qbo;
            if (armed.entity === 'Item') control.setItemActive(this.harness.realmId, armed.id, false);
            else control.setTaxCodeActive(this.harness.realmId, armed.id, false);
          }
          return object.bookSale(...args);
        };
      },
    });
}
