import { cpus, freemem, loadavg, totalmem } from 'node:os';

/** The machine a figure was measured on, and how busy it was. */
export function machineFacts(): Record<string, unknown> {
  return {
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model,
    memory_gb: Number((totalmem() / 2 ** 30).toFixed(1)),
    free_memory_gb: Number((freemem() / 2 ** 30).toFixed(1)),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}
