// `npm run bench [-- --size small|full] [--only throughput,intake,latency,memory]`: every bench, one after another,
// each in a process of its own (its memory and event loop its own), then one table of every figure with its target
// and PASS/FAIL. Exits non-zero if a figure fails or a bench does not finish.
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatFigures, formatLoad, REPORT_MARKER, type BenchReport } from './bench-figures.js';
import { projectRoot } from '../runtime/project-root.js';

const BENCHES = {
  throughput: 'order-sync-throughput.ts',
  intake: 'webhook-intake-latency.ts',
  latency: 'webhook-to-ledger-latency.ts',
  memory: 'parked-orders-memory.ts',
} as const;
type BenchName = keyof typeof BENCHES;

const { values } = parseArgs({ options: { size: { type: 'string', default: process.env.BENCH_SIZE ?? 'full' }, only: { type: 'string' } } });
const chosen = (values.only ? values.only.split(',') : Object.keys(BENCHES)) as BenchName[];
for (const name of chosen) if (!(name in BENCHES)) throw new Error(`no bench named ${name}; there are ${Object.keys(BENCHES).join(', ')}`);

const uptimeAtStart = uptime();
const reports: BenchReport[] = [];
const broken: string[] = [];
for (const name of chosen) {
  const started = performance.now();
  const result = await runBench(BENCHES[name], values.size);
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  if (result) reports.push(result);
  else broken.push(`${name} (${BENCHES[name]}) did not report`);
  console.error(`[bench] ${name} took ${seconds} s`);
}

console.log(`\nledgerbridge benches, size ${values.size}`);
for (const r of reports) console.log(`${r.bench}  (load ${formatLoad(r.load.start)} → ${formatLoad(r.load.end)})\n${formatFigures(r.figures)}`);
for (const b of broken) console.log(`  FAIL  ${b}`);
console.log(`uptime at start: ${uptimeAtStart}\nuptime at end:   ${uptime()}`);
const failed = broken.length + reports.flatMap((r) => r.figures).filter((f) => !f.pass).length;
console.log(failed ? `${failed} figure(s) FAILED` : 'every figure PASSED');
process.exitCode = failed ? 1 : 0;

/** Runs one bench, passing its output through, and returns the report it printed. */
function runBench(file: string, size: string): Promise<BenchReport | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'bench', file), '--size', size], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  let found: BenchReport | null = null;
  let rest = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith(REPORT_MARKER)) found = JSON.parse(line.slice(REPORT_MARKER.length)) as BenchReport;
      else console.log(line);
    }
  });
  // Stopped by a person or a supervisor: the bench is asked to stop too (it stops its Temporal server and processes).
  const forward = () => child.kill('SIGTERM');
  process.once('SIGINT', forward);
  process.once('SIGTERM', forward);
  return new Promise((resolve) => {
    child.once('close', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      if (signal || code === 130) process.exit(130);
      resolve(found);
    });
  });
}

function uptime(): string {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return '(uptime unavailable)';
  }
}
