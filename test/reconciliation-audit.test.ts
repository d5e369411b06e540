import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { integrations, reconciliationAudits } from '../db/schema.js';
import { createMailer, type Mailer } from '../notifications/mail-transport.js';
import { deleteAuditSchedule, keepAuditSchedule } from '../runtime/reconciliation-audit-schedule.js';
import { createRouteHaltNotifier } from '../runtime/route-halt-notifier.js';
import { RECONCILIATION_AUDIT_ID_PREFIX, type ReconciliationAuditResult } from '../workflows/reconciliation-audit.js';
import { startSmtpTestServer, type SmtpTestServer } from './smtp-test-server.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

/**
 * The audit and the hard stop end to end: real Temporal, the QuickBooks Online and Shopify emulators, the API, and
 * mail through a loopback SMTP server. The duplicate is injected at the emulated ledger through its control API.
 */
describe('reconciliation audit and the hard stop', () => {
  let harness: SyncHarness;
  let smtp: SmtpTestServer;
  let mailer: Mailer;
  const today = new Date().toISOString().slice(0, 10);
  /** Order #2001, booked and then duplicated at the ledger by the second test. */
  let doubledOrderId = '';

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    mailer = createMailer({ from: 'ledgerbridge <alerts@test>', delivery: { kind: 'smtp', url: smtp.url } });
    harness = await SyncHarness.start({ routeHalts: (db) => createRouteHaltNotifier({ db, mailer, publicBaseUrl: 'https://books.example.com' }) });
    await harness.db.update(integrations).set({ notifyEmails: ['bookkeeper@example.com'] }).where(eq(integrations.id, harness.ledgerIntegrationId));
  });
  afterAll(async () => {
    await deleteAuditSchedule(harness.client, harness.routeId).catch(() => {});
    await harness?.close();
    await mailer?.close();
    await smtp?.close();
  });

  const receiptsOf = (docNumber: string) => harness.salesReceipts().filter((r) => r.docNumber === docNumber);
  const emulatorControl = (path: string, body: unknown = {}) =>
    fetch(`${harness.qbo.origin}/_emulator/realms/${harness.realmId}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => {
      expect(r.status).toBe(200);
      return (await r.json()) as { Id: string };
    });
  async function bookOrder(name: string, unitPrice = '8.00') {
    const order = harness.shopify.control.createOrder({ name, lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice }] });
    const result = await harness.handle((await harness.startSync(order.id)).workflowId).result();
    expect(result.outcome).toBe('created');
    return { order, document: result.ledgerDocument! };
  }
  async function runAudit(): Promise<{ auditId: string; result: ReconciliationAuditResult; report: any }> {
    const started = await harness.operator('POST', `/routes/${harness.routeId}/audits`, { from: today, to: today });
    expect(started.status).toBe(202);
    const { auditId } = started.body;
    const result: ReconciliationAuditResult = await harness.handle(`${RECONCILIATION_AUDIT_ID_PREFIX}${harness.routeId}/${auditId}`).result();
    const answer = await harness.operator('GET', `/routes/${harness.routeId}/audits/${auditId}`);
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('done');
    return { auditId, result, report: answer.body.report };
  }

  it('the daily schedule audits yesterday on its own', async () => {
    // One second instead of a day: the schedule's runs are the daily audit's, just sooner.
    expect(await keepAuditSchedule({ client: harness.client, taskQueue: harness.taskQueue, auditEveryMs: 1_000, auditOffsetMs: 0 }, harness.routeId)).toBe(true);
    const daily = await eventually(
      async () => (await harness.db.select().from(reconciliationAudits).where(and(eq(reconciliationAudits.routeId, harness.routeId), eq(reconciliationAudits.status, 'done'))))[0],
      'a daily audit to finish',
    );
    await deleteAuditSchedule(harness.client, harness.routeId);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect(daily).toMatchObject({ trigger: 'daily', dateFrom: yesterday, dateTo: yesterday, summary: { missing_in_ledger: 0, duplicate_document: 0 } });
    expect(daily.id).toMatch(/^daily-/);
  });

  it('reports a duplicate injected at the ledger with its fix, halts the route with one email, parks orders as halted, and books them once on release', async () => {
    const first = await bookOrder('#2001');
    doubledOrderId = first.order.id;
    const second = await bookOrder('#2002');
    // Its webhook is lost and nobody polls: the shop has it, ledgerbridge never saw it.
    harness.shopify.control.dropWebhooks(1);
    const missing = harness.shopify.control.createOrder({ name: '#2003', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 2, unitPrice: '8.00' }] });
    // The ledger, behind our back: #2001 posted a second time, #2002's total changed by a bookkeeper.
    const duplicate = await emulatorControl(`/sales-receipts/${first.document.id}/duplicate`);
    await emulatorControl(`/sales-receipts/${second.document.id}/total`, { totalAmt: 9.5 });

    const { auditId, result, report } = await runAudit();
    expect(result.halted).toBe(true);
    expect(report.summary).toMatchObject({ duplicate_document: 1, missing_in_ledger: 1, amount_mismatch: 1, document_without_order: 0 });
    const line = (kind: string) => report.lines.find((l: any) => l.kind === kind);
    expect(line('duplicate_document')).toMatchObject({ orderName: '#2001', fix: `Void document ${duplicate.Id}, a duplicate of ${first.document.id} (both numbered 2001), then release the route.` });
    expect(line('missing_in_ledger')).toMatchObject({ orderName: '#2003', fix: `Replay order #2003: POST /routes/${harness.routeId}/orders/${missing.id}/sync.` });
    expect(report.fixes[0]).toBe(`Replay this order: #2003 (POST /routes/${harness.routeId}/orders/<order id>/sync for each; an order already booked says so and writes nothing).`);
    expect(line('amount_mismatch').message).toBe(
      `QuickBooks Online #1 has 9.50 ${second.order.currency} on sales receipt 2002 (id ${second.document.id}); the shop charged 8.00 ${second.order.currency} for order #2002.`,
    );
    // Payouts are compared too (test/payout-audit.test.ts): the shop paid none out today.
    expect(report.payouts).toEqual({ checked: true, note: 'Paid payouts compared with their deposits in QuickBooks Online #1.' });
    expect(report.summary).toMatchObject({ payout_missing_in_ledger: 0, deposit_without_payout: 0, payout_amount_mismatch: 0 });

    const halt = await harness.operator('GET', `/routes/${harness.routeId}/halt`);
    expect(halt.body).toMatchObject({ halted: true, halt: { reason: 'duplicate_document', detail: { auditId } } });
    expect(halt.body.halt.message).toContain(`void document ${duplicate.Id}, a duplicate of ${first.document.id}`);
    const [email] = await smtp.waitForMessages(1);
    expect(email!.envelope.to).toEqual(['bookkeeper@example.com']);
    expect(email!.parsed.subject).toBe('Posting stopped on Shopify #1 → QuickBooks Online #1: a duplicate document in QuickBooks Online #1');
    expect(email!.parsed.text).toContain(`void document ${duplicate.Id}, a duplicate of ${first.document.id}`);
    expect(email!.parsed.text).toContain('https://books.example.com/console/routes/');

    // While halted: a new order and the replayed missing one wait as "halted", nothing is written.
    const arriving = harness.shopify.control.createOrder({ name: '#2004', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] });
    await harness.startSync(arriving.id);
    expect((await harness.operator('POST', `/routes/${harness.routeId}/orders/${missing.id}/sync`)).status).toBe(202);
    for (const order of [arriving, missing]) {
      const row = await eventually(async () => ((await harness.orderRow(order.id))?.status === 'halted' ? harness.orderRow(order.id) : undefined), `order ${order.name} to park as halted`);
      expect(row!.lastErrorMessage).toContain(`Order ${order.name} is halted: posting on this route stopped.`);
    }
    expect(receiptsOf('2004')).toHaveLength(0);
    expect(receiptsOf('2003')).toHaveLength(0);
    const halted = await harness.operator('GET', `/routes/${harness.routeId}/orders?status=halted`);
    expect(halted.body.orders.map((o: any) => o.orderName).sort()).toEqual(['#2003', '#2004']);

    // Another audit finds the same duplicate: still one email (the halt is the same).
    expect((await runAudit()).result.halted).toBe(true);
    expect(smtp.messages).toHaveLength(1);

    // The operator releases the route: the halted orders book, once each.
    const release = await harness.operator('POST', `/routes/${harness.routeId}/release`);
    expect(release.status).toBe(200);
    expect(release.body).toMatchObject({ queued: 2, released: { releasedBy: 'operator API token' } });
    for (const order of [arriving, missing]) {
      await eventually(async () => (await harness.orderRow(order.id))?.status === 'synced', `order ${order.name} to book after the release`);
    }
    expect(receiptsOf('2003')).toHaveLength(1);
    expect(receiptsOf('2004')).toHaveLength(1);
    expect((await harness.operator('GET', `/routes/${harness.routeId}/halt`)).body.halted).toBe(false);
    expect((await harness.operator('POST', `/routes/${harness.routeId}/release`)).status).toBe(409);
  });

  it('a sync whose lookup finds its order twice in the ledger stops the route too', async () => {
    smtp.clear();
    // #2001 still has its duplicate: syncing it again finds both under its number.
    expect(doubledOrderId).not.toBe('');
    const again = await harness.handle((await harness.startSync(doubledOrderId)).workflowId).result();
    expect(again.outcome).toBe('already_synced');
    const halt = await harness.operator('GET', `/routes/${harness.routeId}/halt`);
    expect(halt.body).toMatchObject({ halted: true, halt: { reason: 'duplicate_document', detail: { foundBy: 'sync', orderName: '#2001' } } });
    const [email] = await smtp.waitForMessages(1);
    expect(email!.parsed.text).toContain('holds order #2001 more than once');
    expect(receiptsOf('2001')).toHaveLength(2);
  });
});
