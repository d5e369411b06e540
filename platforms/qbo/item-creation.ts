import type { LedgerItem, LedgerItemInput } from '../../domain/accounting-target.js';
import { LedgerRejectedError } from '../../domain/platform-errors.js';
import type { QboClient, QboEntity } from './qbo-client.js';
import { queryAll } from './query-pages.js';

/** The income account QuickBooks Online companies start with; preferred when several Income accounts exist. */
const PRODUCT_INCOME_ACCOUNT = 'Sales of Product Income';

/**
 * Creates a non-inventory item for a store's variant. Which accounts QuickBooks requires on a NonInventory item is not
 * settled by the sources (FIDELITY.md: [U]), so the item carries both the income account it is sold through and, where
 * the company has one, a Cost of Goods Sold account: accepted under every reading.
 */
export async function createQboItem(client: QboClient, input: LedgerItemInput, idempotencyKey: string): Promise<QboEntity> {
  const accounts = await queryAll(client, 'Account', "AccountType IN ('Income', 'Cost of Goods Sold') AND Active = true");
  const income = pick(accounts, 'Income', PRODUCT_INCOME_ACCOUNT);
  if (!income) {
    throw new LedgerRejectedError(
      'no-income-account',
      `QuickBooks Online has no active Income account to sell item "${input.name}" through: add one (Accounting, Chart of accounts), then retry.`,
      'select * from Account where AccountType = Income: none active',
    );
  }
  const expense = pick(accounts, 'Cost of Goods Sold', 'Cost of Goods Sold');
  const body: QboEntity = {
    Name: input.name,
    Sku: input.sku,
    Type: 'NonInventory',
    UnitPrice: Number(input.unitPrice),
    IncomeAccountRef: { value: String(income.Id), name: String(income.Name) },
    ...(expense ? { ExpenseAccountRef: { value: String(expense.Id), name: String(expense.Name) } } : {}),
  };
  return client.create('item', 'Item', body, { idempotencyKey, subject: `item '${input.name}'` });
}

function pick(accounts: QboEntity[], type: string, preferredName: string): QboEntity | undefined {
  const ofType = accounts.filter((account) => account.AccountType === type);
  return ofType.find((account) => account.Name === preferredName) ?? ofType[0];
}

export function toLedgerItemOf(item: QboEntity): LedgerItem {
  return { id: String(item.Id), name: String(item.Name), sku: typeof item.Sku === 'string' && item.Sku !== '' ? item.Sku : null, active: item.Active !== false };
}
