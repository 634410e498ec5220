import { readFileSync } from 'node:fs';

// USER_HZ is 100 on every Linux we run on (sysconf(_SC_CLK_TCK)); /proc/<pid>/stat counts in those ticks.
const CLOCK_TICKS = 100;

/** User + system CPU seconds a live process has used, from /proc/<pid>/stat; undefined once it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** Peak and current resident set size in MB (VmHWM, VmRSS), from /proc/<pid>/status. */
export function memoryMb(pid: number): { peakMb: number; rssMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
  } catch {
    return undefined;
  }
}

/** Tracks one process: CPU at a start mark and at the latest sample, and the largest peak RSS seen. */
export class ProcessSampler {
  readonly pid: number;
  private cpuAtMark: number | undefined;
  private cpuLast: number | undefined;
  peakRssMb = 0;

  constructor(pid: number) {
    this.pid = pid;
  }

  sample(): void {
    const cpu = cpuSeconds(this.pid);
    if (cpu !== undefined) this.cpuLast = cpu;
    const mem = memoryMb(this.pid);
    if (mem !== undefined) this.peakRssMb = Math.max(this.peakRssMb, mem.peakMb, mem.rssMb);
  }

  /** Marks the start of the measured interval (CPU used before it, e.g. start-up, is not counted). */
  mark(): void {
    this.sample();
    this.cpuAtMark = this.cpuLast;
  }

  /** CPU seconds since mark(), as of the latest sample. */
  cpuSinceMark(): number {
    return (this.cpuLast ?? 0) - (this.cpuAtMark ?? 0);
  }
}
