// Every bench runs at one of two sizes: `full` (the figures the README quotes) or `small` (a quick, CI-like run
// whose figures are indicative only). `--size small` on the command line, or BENCH_SIZE=small. A bench's own
// options (`--parked 2000`) override what its size picks.
import { parseArgs } from 'node:util';

export type BenchSize = 'small' | 'full';

export interface BenchArgs {
  size: BenchSize;
  /** A number option: given on the command line, else the size's default. */
  number(name: string, defaults: Record<BenchSize, number>): number;
}

export function benchArgs(optionNames: string[]): BenchArgs {
  const { values } = parseArgs({
    options: { size: { type: 'string' }, ...Object.fromEntries(optionNames.map((name) => [name, { type: 'string' as const }])) },
  });
  const given = values as Record<string, string | undefined>;
  const size = given.size ?? process.env.BENCH_SIZE ?? 'full';
  if (size !== 'small' && size !== 'full') throw new Error(`--size is small or full, not ${size}`);
  return {
    size,
    number(name, defaults) {
      const raw = given[name];
      if (raw === undefined) return defaults[size];
      const n = Number(raw);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, not ${raw}`);
      return n;
    },
  };
}
