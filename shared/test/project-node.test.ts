import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const engines = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).engines as {
  node: string;
};

describe('the Node the suites run on', () => {
  // npm scripts put node_modules/.bin first on PATH, where the node-linux-* optional dependency puts Node 24:
  // this fails when a script or a machine falls back to an older system Node.
  it('satisfies package.json engines', () => {
    const [wantMajor, wantMinor] = engines.node.replace('>=', '').split('.').map(Number);
    const [major, minor] = process.versions.node.split('.').map(Number);
    expect(major! > wantMajor! || (major === wantMajor && minor! >= wantMinor!), process.version).toBe(true);
  });
});
