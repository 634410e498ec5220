import { describe, expect, it } from 'vitest';
import { RecoveryEpoch } from '../../../src/stream/supervision/recovery-epoch.js';

describe('RecoveryEpoch', () => {
  it('marks the batches of an epoch abandoned once and resolves their wait', async () => {
    const epoch = new RecoveryEpoch();
    const started = epoch.current;
    const abandoned = epoch.abandoned;
    expect(epoch.isAbandoned(started)).toBe(false);
    epoch.abandon();
    await abandoned;
    expect(epoch.isAbandoned(started)).toBe(true);
    expect(epoch.isAbandoned(epoch.current)).toBe(false);
    // The next epoch's wait is a new one, not yet resolved.
    let resolved = false;
    void epoch.abandoned.then(() => {
      resolved = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(resolved).toBe(false);
  });
});
