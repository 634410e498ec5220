import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runToExit, tail } from '../child-process.js';
import { classDataSharing } from './class-data-sharing.js';
import { exited, javaArgs, spawnJava, spawnWatchdog, stopJava } from './java-process.js';

/** The files of one KRaft node, all in its own folder. */
export interface NodeFiles {
  dir: string;
  properties: string;
  log4j: string;
  brokerLog: string;
  jvmOutput: string;
}

export function nodeFiles(dir: string): NodeFiles {
  return {
    dir,
    properties: join(dir, 'server.properties'),
    log4j: join(dir, 'log4j2.properties'),
    brokerLog: join(dir, 'broker.log'),
    jvmOutput: join(dir, 'jvm-output.log'),
  };
}

/** Formats the node's KRaft metadata log; with static `controller.quorum.voters` no --standalone is needed. */
export async function formatStorage(
  libs: string,
  files: NodeFiles,
  clusterId: string,
  extraArgs: readonly string[] = [],
): Promise<void> {
  const args = ['format', '-t', clusterId, '-c', files.properties, ...extraArgs];
  const jvmArgs = [`-Dlog4j2.configurationFile=${files.log4j}`, ...classDataSharing(libs, false).jvmArgs];
  const result = await runToExit(
    'java',
    javaArgs({ libs, mainClass: 'kafka.tools.StorageTool', args, jvmArgs }),
    { cwd: files.dir },
  );
  if (result.code !== 0)
    throw new Error(`kafka StorageTool format failed (exit ${result.code}):\n${tail(result.output)}`);
}

/**
 * The JVM of one formatted KRaft node. It owns only the process: start, a graceful stop, SIGKILL, SIGSTOP/SIGCONT.
 * Waiting for the broker to answer is the caller's (a cluster waits for all its nodes at once).
 */
export class KraftProcess {
  private readonly libs: string;
  readonly files: NodeFiles;
  private jvm: ChildProcess | undefined;
  private keepClassArchive: (cleanExit: boolean) => void = () => {};

  constructor(libs: string, files: NodeFiles) {
    this.libs = libs;
    this.files = files;
  }

  /** Spawns the JVM (with a watchdog that stops it if we die); returns a promise that settles when it exits. */
  start(): Promise<number | string> {
    const cds = classDataSharing(this.libs, true);
    this.keepClassArchive = cds.keep;
    const jvmArgs = [`-Dlog4j2.configurationFile=${this.files.log4j}`, ...cds.jvmArgs];
    const child = spawnJava(
      { libs: this.libs, mainClass: 'kafka.Kafka', args: [this.files.properties], jvmArgs },
      this.files.jvmOutput,
    );
    this.jvm = child;
    if (child.pid !== undefined) spawnWatchdog(child.pid, this.files.dir);
    return exited(child);
  }

  /** SIGTERM: Kafka's shutdown hook runs a controlled shutdown (SIGKILL after a grace period). */
  async stop(): Promise<void> {
    if (this.jvm !== undefined) this.keepClassArchive(await stopJava(this.jvm));
  }

  /** SIGKILL, as a crashed machine: no controlled shutdown, no flush. Resolves once the JVM is gone. */
  async kill(): Promise<void> {
    if (this.jvm === undefined) return;
    const done = exited(this.jvm);
    this.jvm.kill('SIGKILL');
    await done;
    this.keepClassArchive(false);
  }

  /** SIGSTOP: the process stays but answers nothing, as a long GC pause or a hung machine. */
  freeze(): void {
    this.jvm?.kill('SIGSTOP');
  }

  /** SIGCONT after freeze(). */
  resume(): void {
    this.jvm?.kill('SIGCONT');
  }

  /** Last resort from an exit hook: SIGKILL without waiting. */
  killNow(): void {
    this.jvm?.kill('SIGKILL');
  }

  /** The pid of the JVM now running (a new one after each start); undefined before the first. */
  pid(): number | undefined {
    return this.jvm?.pid;
  }

  /** The JVM's own output, the broker's ERROR/FATAL lines (the cause hides above the shutdown noise), then its tail. */
  logTail(): string {
    const read = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');
    const brokerLog = read(this.files.brokerLog);
    const errors = brokerLog
      .split('\n')
      .filter((line) => / (ERROR|FATAL) /.test(line))
      .slice(-10);
    return [
      tail(read(this.files.jvmOutput), 20),
      errors.length > 0 ? `errors:\n${errors.join('\n')}` : '',
      `last lines:\n${tail(brokerLog, 15)}`,
    ]
      .filter(Boolean)
      .join('\n');
  }
}
