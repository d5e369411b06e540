// The QuickBooks emulator alone in a process (`QBO_EMULATOR_OPTIONS`: its options as JSON), as the real ledger is
// elsewhere: what it reads and when does not depend on the event loop of the worker it serves. Prints one line
// `QBO_EMULATOR {origin, urls}` when it listens; stops on SIGTERM or when its parent is gone.
import { startQboEmulator, type QboEmulatorOptions } from '../../emulators/qbo/emulator.js';

const options = JSON.parse(process.env.QBO_EMULATOR_OPTIONS ?? '{}') as QboEmulatorOptions;
const emulator = await startQboEmulator(options);
console.log(`QBO_EMULATOR ${JSON.stringify({ origin: emulator.origin, urls: emulator.urls })}`);

const stop = () => {
  void emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// A parent that exits without closing it (a bench stopped by a signal) leaves no emulator behind.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop();
}, 1_000).unref();
