import { DEMO_ORGANISATION } from './demo-organisation.js';
import { startXeroEmulator } from './emulator.js';

// Standalone emulator for demos: `PORT=4013 XERO_CLIENT_ID=... XERO_CLIENT_SECRET=... npx tsx emulators/xero/main.ts`.
const emulator = await startXeroEmulator({
  port: Number(process.env.PORT ?? 0),
  clientId: process.env.XERO_CLIENT_ID ?? 'ledgerbridge-demo-client',
  clientSecret: process.env.XERO_CLIENT_SECRET ?? 'ledgerbridge-demo-secret',
  organisations: [DEMO_ORGANISATION],
});

console.log(`Xero emulator on ${emulator.origin}`);
console.log(JSON.stringify({ tenantId: DEMO_ORGANISATION.tenantId, ...emulator.urls }, null, 2));

const stop = () => {
  void emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
