// Every workflow the worker runs. The worker bundles this file; nothing here may import Node modules.
export { orderSyncWorkflow } from './order-sync.js';
export { integrationHealthWorkflow } from './integration-health.js';
export { parkedOrderResumeWorkflow } from './parked-order-resume.js';
export { orderPollWorkflow } from './order-poll.js';
export { refundSyncWorkflow } from './refund-sync.js';
export { reconciliationAuditWorkflow } from './reconciliation-audit.js';
