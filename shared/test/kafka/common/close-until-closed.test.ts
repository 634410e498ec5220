import { createLogger } from '@ride/shared';
import { describe, expect, it } from 'vitest';
import { closeUntilClosed } from '../../../src/kafka/common/close-until-closed.js';

const quiet = createLogger({ level: 'silent' });
const noWait = async () => {};

describe('closeUntilClosed', () => {
  it('closes once when the first close succeeds', async () => {
    let calls = 0;
    const { settled } = await closeUntilClosed(
      async () => {
        calls++;
      },
      quiet,
      noWait,
    );
    await settled;
    expect(calls).toBe(1);
  });

  it('keeps closing in the background while leaving the group fails, until it succeeds', async () => {
    let calls = 0;
    const waits: number[] = [];
    const { settled } = await closeUntilClosed(
      async () => {
        calls++;
        if (calls < 4) throw new Error('LeaveGroup: the coordinator is not available');
      },
      quiet,
      async (ms) => {
        waits.push(ms);
      },
    );
    // The caller goes on after the first failure; the client is closed later.
    await settled;
    expect(calls).toBe(4);
    expect(waits).toEqual([300, 600, 1200]);
  });
});
