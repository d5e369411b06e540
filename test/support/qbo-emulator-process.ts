import { fileURLToPath } from 'node:url';
import type { QboEmulatorOptions, QboEmulatorUrls } from '../../emulators/qbo/emulator.js';
import type { CreatedDocument } from '../../emulators/qbo/company.js';
import type { LoggedRequest } from '../../emulators/qbo/emulator-state.js';
import { projectRoot } from '../../runtime/project-root.js';
import { spawnProcess } from './spawned-process.js';

/** The QuickBooks emulator in a process of its own, inspected through its `/_emulator` control routes. */
export interface QboEmulatorProcess {
  origin: string;
  urls: QboEmulatorUrls;
  requestLog(): Promise<LoggedRequest[]>;
  clearRequestLog(): Promise<void>;
  requestCount(realmId: string): Promise<number>;
  documents(realmId: string, entity?: string): Promise<CreatedDocument[]>;
  close(): Promise<void>;
}

export async function startQboEmulatorProcess(options: QboEmulatorOptions): Promise<QboEmulatorProcess> {
  const script = fileURLToPath(new URL('./qbo-emulator-child.ts', import.meta.url));
  const child = spawnProcess(process.execPath, ['--import', 'tsx', script], {
    cwd: projectRoot,
    env: { ...process.env, QBO_EMULATOR_OPTIONS: JSON.stringify(options) },
  });
  let started: { origin: string; urls: QboEmulatorUrls };
  try {
    started = JSON.parse((await child.waitForLine(/^QBO_EMULATOR (\{.*\})$/))[1]!) as { origin: string; urls: QboEmulatorUrls };
  } catch (error) {
    child.killGroup();
    throw error;
  }
  const call = async <T>(method: 'GET' | 'DELETE', path: string): Promise<T> => {
    const response = await fetch(`${started.origin}${path}`, { method });
    if (!response.ok) throw new Error(`QuickBooks emulator control ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const realm = (realmId: string) => `/_emulator/realms/${encodeURIComponent(realmId)}`;
  return {
    ...started,
    requestLog: () => call<LoggedRequest[]>('GET', '/_emulator/requests'),
    clearRequestLog: async () => {
      await call('DELETE', '/_emulator/requests');
    },
    requestCount: async (realmId) => (await call<{ requests: number }>('GET', `${realm(realmId)}/request-count`)).requests,
    documents: (realmId, entity) => call<CreatedDocument[]>('GET', `${realm(realmId)}/documents${entity ? `?entity=${encodeURIComponent(entity)}` : ''}`),
    close: async () => {
      if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill('SIGTERM');
      await child.exited;
    },
  };
}
