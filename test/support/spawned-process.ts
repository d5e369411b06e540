import { spawn, type ChildProcess } from 'node:child_process';

/** A real child process whose output lines a test can wait for. */
export interface SpawnedProcess {
  child: ChildProcess;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  output(): string;
  /** SIGKILL to the whole process group: for cleanup after a failed test, never as the behaviour under test. */
  killGroup(): void;
}

export function spawnProcess(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): SpawnedProcess {
  // A process group of its own, so cleanup can stop a launcher and everything it started (killGroup).
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const take = (stream: NodeJS.ReadableStream) => {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts);
      for (const wake of waiters) wake();
    });
  };
  take(child.stdout!);
  take(child.stderr!);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    // 'close', not 'exit': a launcher (npm, npx) may exit while the process it started still writes to our pipes.
    child.once('close', (code, signal) => {
      resolve({ code, signal });
      for (const wake of waiters) wake();
    });
  });
  let exitedYet = false;
  void exited.then(() => (exitedYet = true));
  return {
    child,
    lines,
    exited,
    output: () => lines.join('\n'),
    killGroup: () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    },
    waitForLine(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`no line matching ${pattern} within ${timeoutMs} ms; output:\n${lines.slice(-40).join('\n')}`)), timeoutMs);
        const check = () => {
          for (const line of lines) {
            const match = line.match(pattern);
            if (match) return finish(null, match);
          }
          if (exitedYet) finish(new Error(`process exited before a line matching ${pattern}; output:\n${lines.slice(-40).join('\n')}`));
        };
        const finish = (error: Error | null, match?: RegExpMatchArray) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(error);
          else resolve(match!);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** True while a process with this pid exists (and is not a zombie). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return true;
}
