import { DEMO_COMPANY } from './demo-company.js';
import { startQboEmulator } from './emulator.js';

// Standalone emulator for demos: `PORT=4012 QBO_CLIENT_ID=... QBO_CLIENT_SECRET=... npm run emulator:qbo`.
const emulator = await startQboEmulator({
  port: Number(process.env.PORT ?? 0),
  clientId: process.env.QBO_CLIENT_ID ?? 'ledgerbridge-demo-client',
  clientSecret: process.env.QBO_CLIENT_SECRET ?? 'ledgerbridge-demo-secret',
  companies: [DEMO_COMPANY],
});

console.log(`QuickBooks Online emulator on ${emulator.origin}`);
console.log(JSON.stringify({ realmId: DEMO_COMPANY.realmId, ...emulator.urls }, null, 2));

const stop = () => {
  void emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
