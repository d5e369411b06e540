// Resident memory of a process, read from /proc (Linux): what the machine actually gives it, native memory included.
import { readFile } from 'node:fs/promises';

/** VmRSS of the process in bytes, or null once it is gone. */
export async function residentBytes(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kib === undefined ? null : Number(kib) * 1024;
  } catch {
    return null;
  }
}

/** The median of `samples` readings `everyMs` apart: one reading catches a GC's high or low, the median does not. */
export async function medianResidentBytes(pid: number, samples = 10, everyMs = 500): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < samples; i++) {
    const bytes = await residentBytes(pid);
    if (bytes === null) throw new Error(`process ${pid} is gone`);
    readings.push(bytes);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  readings.sort((a, b) => a - b);
  return readings[Math.floor(readings.length / 2)]!;
}

/** Reads each process's RSS every `everyMs` until stopped; peaks() and stop() give the highest reading of each (0 if none). */
export function peakResidentSampler(pids: number[], everyMs = 500): { peaks(): number[]; stop(): number[] } {
  const peaks = pids.map(() => 0);
  const timer = setInterval(() => {
    pids.forEach((pid, i) => void residentBytes(pid).then((bytes) => (peaks[i] = Math.max(peaks[i]!, bytes ?? 0))));
  }, everyMs);
  return {
    peaks: () => [...peaks],
    stop() {
      clearInterval(timer);
      return [...peaks];
    },
  };
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}
