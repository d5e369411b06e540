import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { WORKER_NODE_FLAGS, WORKER_PROCESS_ENV } from '../runtime/worker-node-flags.js';

const read = (path: string) => readFile(new URL(`../${path}`, import.meta.url), 'utf8');

// The worker's memory bound (issue 8, bench/parked-orders-memory.ts) is measured with these launch settings: every way
// production starts the worker must give them, or the bound measured is not the one deployed.
describe('the worker is launched with its memory settings (runtime/worker-node-flags.ts)', () => {
  it('`npm run worker` gives node the flags and the environment', async () => {
    const script = (JSON.parse(await read('package.json')) as { scripts: Record<string, string> }).scripts.worker!;
    const words = script.split(/\s+/);
    const node = words.indexOf('node');
    expect(words.slice(node + 1, node + 1 + WORKER_NODE_FLAGS.length)).toEqual([...WORKER_NODE_FLAGS]);
    expect(words.at(-1)).toBe('dist/runtime/worker-main.js');
    for (const [name, value] of Object.entries(WORKER_PROCESS_ENV)) expect(words.slice(0, node)).toContain(`${name}=${value}`);
  });

  it('the compose file runs node with the flags, in the image that sets the environment', async () => {
    const { services } = parse(await read('temporal-docker-compose.yml'), { merge: true }) as { services: Record<string, { command: string[] }> };
    expect(services['ledgerbridge-worker']!.command).toEqual(['node', ...WORKER_NODE_FLAGS, 'dist/runtime/worker-main.js']);
    const dockerfile = await read('Dockerfile');
    const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    for (const [name, value] of Object.entries(WORKER_PROCESS_ENV)) expect(runtimeStage).toMatch(new RegExp(`^ENV ${name}=${value}$`, 'm'));
  });
});
