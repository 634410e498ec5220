import { NodeVersionError } from '../errors.js';

/** The oldest Node the programs run on: package.json's `engines.node` (shared/test keeps the two equal). */
export const MIN_NODE_VERSION = '24.11.0';

const parts = (version: string): number[] => version.replace(/^v/, '').split('.').map(Number);

/**
 * Each program's first step: on an older Node it would start and then fail deep inside a client (@platformatic/kafka
 * calls Promise.withResolvers, new in Node 22), so it stops here instead, naming the version it needs and where to
 * get it. `version` is process.versions.node; a test passes others.
 */
export function requireSupportedNode(program: string, version: string = process.versions.node): void {
  const have = parts(version);
  const need = parts(MIN_NODE_VERSION);
  for (let i = 0; i < need.length; i++) {
    const a = have[i] ?? 0;
    const b = need[i] ?? 0;
    if (a > b) return;
    if (a < b) {
      throw new NodeVersionError(
        `${program} needs Node ${MIN_NODE_VERSION} or newer and runs on ${version}: run it with the project's Node ` +
          '(npm installs it on Linux: `node_modules/.bin/node`, first on the PATH of every npm script), ' +
          'use the container image, or install Node 24 LTS',
      );
    }
  }
}
