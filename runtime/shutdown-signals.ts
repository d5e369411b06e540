import { readFileSync } from 'node:fs';

/**
 * Calls `stop` once, on SIGINT/SIGTERM or when the npm/npx process that launched us dies. npm forwards
 * SIGTERM to the shell it runs a script in, but that shell (dash, bash) dies without passing it on, so
 * `npx tsx …` and scripts without `exec` would leave this process running as an orphan. Watching the
 * launcher chain (Linux /proc) turns "my launcher was stopped" into the same graceful stop.
 */
export function onShutdown(stop: (reason: string) => void | Promise<void>, options: { pollMs?: number } = {}): void {
  let stopping = false;
  const once = (reason: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(watch);
    void Promise.resolve(stop(reason)).catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => once(signal));
  const launchers = process.env.npm_command ? npmLauncherChain() : [];
  const watch = setInterval(() => {
    const gone = launchers.find((launcher) => !isAlive(launcher));
    if (gone) once(`launcher ${gone.pid} (${gone.name}) stopped`);
  }, options.pollMs ?? 500);
  watch.unref();
  if (launchers.length === 0) clearInterval(watch);
}

interface Launcher {
  pid: number;
  startTime: string;
  name: string;
}

/** Our ancestors up to and including the npm/npx process, each with its start time (pids get reused). */
function npmLauncherChain(): Launcher[] {
  const chain: Launcher[] = [];
  let pid = process.ppid;
  while (pid > 1 && chain.length < 8) {
    const stat = procStat(pid);
    if (!stat) return [];
    const name = commandLine(pid);
    chain.push({ pid, startTime: stat.startTime, name });
    if (/\bnp[mx](-cli\.js)?\b/.test(name)) return chain;
    pid = stat.ppid;
  }
  return []; // not below an npm process we can see (no /proc, or started otherwise): nothing to watch
}

function isAlive(launcher: Launcher): boolean {
  return procStat(launcher.pid)?.startTime === launcher.startTime;
}

function procStat(pid: number): { ppid: number; startTime: string } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may itself hold spaces.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return null; // a zombie has stopped
    return { ppid: Number(fields[1]), startTime: fields[19] ?? '' };
  } catch {
    return null;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}
