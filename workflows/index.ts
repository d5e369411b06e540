// Every workflow the worker runs. The worker bundles this file; nothing here may import Node modules.
export { orderSyncWorkflow } from './order-sync.js';
export { integrationHealthWorkflow } from './integration-health.js';
export { parkedOrderResumeWorkflow } from './parked-order-resume.js';
export { orderPollWorkflow } from './order-poll.js';
export { refundSyncWorkflow } from './refund-sync.js';
export { refundDiscoveryWorkflow } from './refund-discovery.js';
export { fullResyncWorkflow } from './full-resync.js';
export { customerSyncWorkflow, productSyncWorkflow } from './entity-sync.js';
export { payoutSyncWorkflow } from './payout-sync.js';
export { payoutPollWorkflow } from './payout-poll.js';
export { reconciliationAuditWorkflow } from './reconciliation-audit.js';
