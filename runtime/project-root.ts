import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory holding ledgerbridge's package.json, found from this file (runtime/ in the sources,
 * dist/runtime/ once compiled), so relative defaults never depend on the directory a process starts in.
 */
export const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No package.json above ${start}: cannot tell where ledgerbridge is installed`);
  }
}
