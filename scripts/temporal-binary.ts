import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** The newest CLI tag `go install` accepts (later tags carry a `replace` directive). */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

export type TemporalExecutable = { type: 'existing-path'; path: string } | { type: 'cached-download' };

/**
 * Finds the Temporal CLI: `temporal` on PATH, then `$(go env GOPATH)/bin/temporal`, then builds it with
 * `go install`, then leaves it to the SDK's own download (needs the internet). `log` hears each rung.
 */
export async function findTemporalExecutable(log: (line: string) => void = () => {}): Promise<TemporalExecutable> {
  const tried: string[] = [];
  if (process.env.TEMPORAL_CLI_PATH) {
    if (await isExecutable(process.env.TEMPORAL_CLI_PATH)) return { type: 'existing-path', path: process.env.TEMPORAL_CLI_PATH };
    tried.push(`TEMPORAL_CLI_PATH=${process.env.TEMPORAL_CLI_PATH} (not executable)`);
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'temporal');
    if (await isExecutable(candidate)) return { type: 'existing-path', path: candidate };
  }
  tried.push('`temporal` on PATH (not found)');

  const gopath = await goEnvGopath();
  if (gopath) {
    const candidate = join(gopath, 'bin', 'temporal');
    if (await isExecutable(candidate)) return { type: 'existing-path', path: candidate };
    tried.push(`${candidate} (not found)`);
    log(`Building the Temporal CLI once: go install ${TEMPORAL_CLI_MODULE} (a few minutes)…`);
    try {
      await run('go', ['install', TEMPORAL_CLI_MODULE], { timeout: 15 * 60_000, maxBuffer: 16 * 1024 * 1024 });
      if (await isExecutable(candidate)) return { type: 'existing-path', path: candidate };
      tried.push(`go install ${TEMPORAL_CLI_MODULE} (finished but produced no binary)`);
    } catch (error) {
      tried.push(`go install ${TEMPORAL_CLI_MODULE} (failed: ${(error as Error).message.split('\n')[0]})`);
    }
  } else {
    tried.push('go (not installed, so no `go install`)');
  }
  log(`No Temporal CLI found (tried: ${tried.join('; ')}). Falling back to the Temporal SDK's download, which needs the internet.`);
  return { type: 'cached-download' };
}

/** The message shown when even the SDK's download failed. */
export function noTemporalMessage(cause: unknown): string {
  return [
    'Could not get a Temporal dev server.',
    'Tried, in order: TEMPORAL_CLI_PATH, `temporal` on PATH, $(go env GOPATH)/bin/temporal,',
    `\`go install ${TEMPORAL_CLI_MODULE}\` (needs Go >= 1.25), and the Temporal SDK's download (needs the internet).`,
    'Fix one of them (e.g. install the Temporal CLI and put it on PATH), or set TEMPORAL_ADDRESS to a running server.',
    `Last error: ${(cause as Error)?.message ?? String(cause)}`,
  ].join('\n');
}

async function goEnvGopath(): Promise<string | null> {
  try {
    const { stdout } = await run('go', ['env', 'GOPATH'], { timeout: 30_000 });
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = await findTemporalExecutable((line) => console.error(line));
  console.log(found.type === 'existing-path' ? found.path : 'SDK download (cached-download)');
}
