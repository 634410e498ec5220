import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runChecked } from '../child-process.js';
import { REPO_ROOT } from '../repo-paths.js';
import type { ContainerEngine } from './container-engine.js';

/** The Dockerfiles' base (their `ARG NODE_IMAGE` default); a test keeps the two equal. */
export const NODE_IMAGE = 'node:24.22.3-bookworm-slim';
/** The stand-in built here when NODE_IMAGE cannot be pulled (harness/containers/build-node-base.sh). */
export const LOCAL_NODE_IMAGE = 'localhost/ride-duration/node:24.22.3-bookworm-slim';
/** npm in the stand-in: the npm 11 release current when the Node tag was pinned. */
const NPM_VERSION = '11.19.1';

let resolved: Promise<string> | undefined;

/**
 * The base image to pass as NODE_IMAGE: the official one where a registry answers (pulled once), else the local
 * stand-in, built once (Debian bookworm from Debian's packages, the project's Node 24 binary, npm) and kept in the
 * engine's storage for later runs.
 */
export function nodeBaseImage(engine: ContainerEngine): Promise<string> {
  resolved ??= resolve(engine);
  return resolved;
}

async function resolve(engine: ContainerEngine): Promise<string> {
  // Fully qualified: podman would otherwise match the short name against the local stand-in.
  const official = `docker.io/library/${NODE_IMAGE}`;
  if ((await engine.run(['image', 'inspect', official])).code === 0) return official;
  if ((await engine.run(['pull', '--quiet', official])).code === 0) return official;
  // The stand-in carries the hash of the script that built it: a changed script builds it again.
  const script = join(REPO_ROOT, 'harness/containers/build-node-base.sh');
  const sha = createHash('sha256').update(readFileSync(script)).digest('hex').slice(0, 16);
  const label = '{{index .Config.Labels "ride-duration.base-script"}}';
  const built = await engine.run(['image', 'inspect', '--format', label, LOCAL_NODE_IMAGE]);
  if (built.code === 0 && built.stdout.trim() === sha) return LOCAL_NODE_IMAGE;
  const node = join(REPO_ROOT, 'node_modules', `node-linux-${process.arch}`, 'bin', 'node');
  if (!existsSync(node))
    throw new Error(`cannot pull ${NODE_IMAGE} and the project's Node 24 (${node}) is missing: run npm ci`);
  await runChecked(
    'bash',
    [join(REPO_ROOT, 'harness/containers/build-node-base.sh'), LOCAL_NODE_IMAGE, node, NPM_VERSION],
    {
      env: { ...engine.env, CONTAINER_ENGINE: engine.commandLine },
    },
  );
  return LOCAL_NODE_IMAGE;
}
