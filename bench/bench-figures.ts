// What every bench reports: named figures, each with its target and PASS/FAIL, printed as a table and handed to
// the bench runner (bench/run-benches.ts) as one machine-readable line.
import { loadavg } from 'node:os';

export interface BenchFigure {
  /** What is measured, in a reader's words: "ledger requests per order, repeat customer". */
  name: string;
  /** The measured value as shown: "1.00", "412 ms", "0.89 of 500 req/min". */
  shown: string;
  /** The target as shown: "≤ 2", "≥ 0.8". */
  target: string;
  pass: boolean;
  /** Under what load or with what caveat it was measured. */
  note?: string;
}

/** Figures printed for information, not judged. */
export interface BenchInfo {
  name: string;
  shown: string;
}

export interface BenchReport {
  bench: string;
  size: string;
  figures: BenchFigure[];
  info: BenchInfo[];
  /** Load averages (1, 5, 15 min) at the start and end of the bench: the machine is shared. */
  load: { start: number[]; end: number[] };
}

/** The line bench/run-benches.ts reads from a bench's stdout. */
export const REPORT_MARKER = 'BENCH_REPORT ';

const startLoad = loadavg();

/** Prints the bench's figures and info as a table, then the marker line; exit code 1 if any figure fails. */
export function report(bench: string, size: string, figures: BenchFigure[], info: BenchInfo[] = []): void {
  const result: BenchReport = { bench, size, figures, info, load: { start: startLoad, end: loadavg() } };
  console.log(`\n${bench} (size ${size})`);
  console.log(formatFigures(figures));
  for (const { name, shown } of info) console.log(`  ${name.padEnd(58)} ${shown}`);
  console.log(`  load average at start / end: ${formatLoad(result.load.start)} / ${formatLoad(result.load.end)}`);
  console.log(`${REPORT_MARKER}${JSON.stringify(result)}`);
  process.exitCode = figures.every((figure) => figure.pass) ? 0 : 1;
}

export function formatFigures(figures: BenchFigure[]): string {
  return figures
    .map((f) => `  ${f.pass ? 'PASS' : 'FAIL'}  ${f.name.padEnd(52)} ${f.shown.padStart(22)}   target ${f.target}${f.note ? `   (${f.note})` : ''}`)
    .join('\n');
}

export function formatLoad(load: number[]): string {
  return load.map((n) => n.toFixed(2)).join(', ');
}

/** The q-quantile of already sorted numbers (nearest rank). */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function ms(value: number): string {
  return `${value.toFixed(0)} ms`;
}
