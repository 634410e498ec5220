import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './repo-paths.js';

export interface SpawnOptions {
  cwd?: string;
  /** The child's whole environment; ours when omitted. */
  env?: NodeJS.ProcessEnv;
  /** Also writes stdout and stderr to this file (truncated first), as they arrive. */
  logFile?: string;
  /** Also passes the child's stderr through to ours (a long run's warnings, live). */
  echoStderr?: boolean;
}

/** A child process with its output captured. */
export interface Child {
  readonly child: ChildProcess;
  /** -1 when the command could not start. */
  readonly pid: number;
  /** stdout and stderr so far, interleaved as they arrived. */
  output(): string;
  stdout(): string;
  stderr(): string;
  /** The exit code (null when a signal ended it) once its output is complete; rejects if it cannot start. */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code once it is gone. */
  stop(graceMs?: number): Promise<number | null>;
  /** SIGKILL; resolves once it is gone. */
  kill(): Promise<void>;
}

const running = new Set<Child>();
let hooked = false;

/** Kills every child still running when we exit, even on an uncaught error (nothing asynchronous runs then). */
function killOnExit(run: Child): void {
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const { child } of running) child.kill('SIGKILL');
    });
  }
  running.add(run);
  run.exited.then(
    () => running.delete(run),
    () => running.delete(run),
  );
}

const isRunning = (child: ChildProcess): boolean => child.exitCode === null && child.signalCode === null;

/** Spawns a command with its output captured; SIGKILLed when this process exits if still running. */
export function spawnChild(command: string, args: readonly string[], options: SpawnOptions = {}): Child {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = options.logFile === undefined ? undefined : createWriteStream(options.logFile);
  const text = { output: '', stdout: '', stderr: '' };
  const capture = (stream: 'stdout' | 'stderr') => (chunk: string) => {
    text[stream] += chunk;
    text.output += chunk;
    log?.write(chunk);
    if (stream === 'stderr' && options.echoStderr) process.stderr.write(chunk);
  };
  child.stdout?.setEncoding('utf8').on('data', capture('stdout'));
  child.stderr?.setEncoding('utf8').on('data', capture('stderr'));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    // 'close', not 'exit': by then stdout and stderr are read to their end.
    child.once('close', resolve);
  }).finally(() => log?.end());
  // Callers that never await the exit must not turn a failed start into an unhandled rejection.
  exited.catch(() => undefined);
  const gone = () => exited.catch(() => null);
  const run: Child = {
    child,
    pid: child.pid ?? -1,
    output: () => text.output,
    stdout: () => text.stdout,
    stderr: () => text.stderr,
    exited,
    async stop(graceMs = 10_000) {
      if (!isRunning(child)) return gone();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await gone();
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (isRunning(child)) child.kill('SIGKILL');
      await gone();
    },
  };
  killOnExit(run);
  return run;
}

export interface NodeSpawnOptions extends Pick<SpawnOptions, 'logFile' | 'echoStderr'> {
  /** Node flags before the script. */
  nodeArgs?: readonly string[] | undefined;
  /** The environment under `env`; ours when omitted. */
  baseEnv?: NodeJS.ProcessEnv | undefined;
}

/** Runs one of the repository's scripts (e.g. producer/dist/main.js) under this Node, `env` over ours. */
export function spawnNode(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: NodeSpawnOptions = {},
): Child {
  const { nodeArgs = [], baseEnv = process.env, ...output } = options;
  return spawnChild(process.execPath, [...nodeArgs, join(REPO_ROOT, script), ...args], {
    ...output,
    cwd: REPO_ROOT,
    env: { ...baseEnv, ...env },
  });
}

export interface RunResult {
  code: number | null;
  /** stdout and stderr interleaved (for error messages). */
  output: string;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; rejects only when it cannot start. */
export async function runToExit(
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): Promise<RunResult> {
  const run = spawnChild(command, args, options);
  const code = await run.exited;
  return { code, output: run.output(), stdout: run.stdout(), stderr: run.stderr() };
}

/** Runs a command to completion; rejects with its stderr tail unless it exits 0. */
export async function runChecked(
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): Promise<RunResult> {
  const result = await runToExit(command, args, options);
  if (result.code !== 0)
    throw new Error(
      `${command} ${args.slice(0, 3).join(' ')}… exited ${result.code ?? 'on a signal'}:\n${tail(result.stderr, 15)}`,
    );
  return result;
}

/** Stops every child still running (signal handlers call this before exiting). */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map((run) => run.stop()));
}

/** The last `lines` lines of a text (a process's output in an error message). */
export function tail(text: string, lines = 40): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
