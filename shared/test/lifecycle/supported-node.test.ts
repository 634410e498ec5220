import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../src/errors.js';
import { MIN_NODE_VERSION, requireSupportedNode } from '../../src/lifecycle/supported-node.js';

describe('requireSupportedNode', () => {
  it('is the engines range of package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    expect(`>=${MIN_NODE_VERSION.replace(/\.0$/, '')}`).toBe(pkg.engines.node);
  });

  it.each(['24.11.0', '24.22.3', '25.0.0', 'v26.1.2'])('lets %s run', (version) => {
    expect(() => requireSupportedNode('ride-x', version)).not.toThrow();
  });

  it.each(['20.20.2', '22.22.0', '24.10.9', 'v18.0.0'])(
    'stops %s, naming the version needed and the fix',
    (version) => {
      expect(() => requireSupportedNode('ride-x', version)).toThrow(
        expect.objectContaining({
          code: ErrorCodes.NODE_UNSUPPORTED,
          message: expect.stringMatching(
            new RegExp(
              `^ride-x needs Node 24\\.11\\.0 or newer and runs on ${version}: .*node_modules/\\.bin/node`,
            ),
          ),
        }),
      );
    },
  );
});
