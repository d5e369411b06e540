import type { QboClient, QboEntity } from './qbo-client.js';

/** QBO's largest page. */
const PAGE_SIZE = 1000;

/** Every row of `select * from {entity} [where …]`, paging with 1-based STARTPOSITION. */
export async function queryAll(client: QboClient, entity: string, where: string | null): Promise<QboEntity[]> {
  const rows: QboEntity[] = [];
  for (let start = 1; ; start += PAGE_SIZE) {
    const statement = `select * from ${entity}${where ? ` where ${where}` : ''} STARTPOSITION ${start} MAXRESULTS ${PAGE_SIZE}`;
    const page = ((await client.query(statement))[entity] ?? []) as QboEntity[];
    rows.push(...page);
    if (page.length < PAGE_SIZE) return rows;
  }
}
