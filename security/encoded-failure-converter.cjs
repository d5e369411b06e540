// The failure converter of every ledgerbridge client, worker and workflow bundle (security/failure-converter-path.ts).
// CommonJS on purpose: the Temporal SDK loads it with require() in clients and workers and through a webpack alias in
// the workflow bundle, and require() cannot load TypeScript sources outside tsx.
// A failure's message and stack trace move into its encoded attributes, a payload the codec encrypts: an
// error's text (a customer's name in a ledger's refusal, say) never sits in plain text in history.
'use strict';
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
