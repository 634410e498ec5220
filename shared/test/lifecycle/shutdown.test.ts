import { describe, expect, it } from 'vitest';
import { Shutdown } from '../../src/lifecycle/shutdown.js';
import { createLogger } from '../../src/logger.js';

const logger = createLogger({ level: 'silent' });

function recorder() {
  const codes: number[] = [];
  return { codes, exit: (code: number) => void codes.push(code) };
}

describe('Shutdown', () => {
  it('closes resources in reverse order of registration, then exits 0', async () => {
    const { codes, exit } = recorder();
    const closed: string[] = [];
    const shutdown = new Shutdown(logger, 5000, exit);
    shutdown.add('model', async () => void closed.push('model'));
    shutdown.add('http', async () => void closed.push('http'));
    shutdown.add('consumer', async () => void closed.push('consumer'));
    await shutdown.run('SIGTERM');
    expect(closed).toEqual(['consumer', 'http', 'model']);
    expect(codes).toEqual([0]);
  });

  it('still closes the rest when one resource fails, and exits 1', async () => {
    const { codes, exit } = recorder();
    const closed: string[] = [];
    const shutdown = new Shutdown(logger, 5000, exit);
    shutdown.add('model', async () => void closed.push('model'));
    shutdown.add('consumer', async () => {
      throw new Error('broker gone');
    });
    await shutdown.run('SIGTERM');
    expect(closed).toEqual(['model']);
    expect(codes).toEqual([1]);
  });

  it('exits with the code the caller asks for (a fatal error) when everything closed', async () => {
    const { codes, exit } = recorder();
    const shutdown = new Shutdown(logger, 5000, exit);
    await shutdown.run('fatal consumer error', 1);
    expect(codes).toEqual([1]);
  });

  it('forces exit 1 when closing takes longer than the bound, and 130 on a second signal', async () => {
    const { codes, exit } = recorder();
    const shutdown = new Shutdown(logger, 50, exit);
    let release = () => {};
    shutdown.add('stuck', () => new Promise<void>((resolve) => (release = resolve)));
    shutdown.signal('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    expect(codes).toEqual([1]);
    shutdown.signal('SIGINT');
    expect(codes).toEqual([1, 130]);
    release();
  });

  it('joins a shutdown already under way when run again, exiting once with the code it was given', async () => {
    const { codes, exit } = recorder();
    const shutdown = new Shutdown(logger, 5000, exit);
    let release = () => {};
    shutdown.add('replay', () => new Promise<void>((resolve) => (release = resolve)));
    shutdown.signal('SIGTERM');
    // The job saw the signal's stop, reports its outcome (1: some rides failed) and ends the same way.
    const joined = shutdown.run('replay finished', 1);
    release();
    await joined;
    expect(codes).toEqual([1]);
  });
});
