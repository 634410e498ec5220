import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runToExit } from '../child-process.js';
import { REPO_ROOT } from '../repo-paths.js';
import type { ContainerEngine } from './container-engine.js';
import { nodeBaseImage } from './node-base-image.js';

/** One of the project's images: which Dockerfile and stage build it, and its local tag (docker-compose.yml's). */
export interface ImageSpec {
  dockerfile: string;
  target: string;
  tag: string;
}

export const PROJECT_IMAGES = {
  scorer: { dockerfile: 'consumer/Dockerfile', target: 'scorer', tag: 'ride-duration/consumer:local' },
  web: { dockerfile: 'consumer/Dockerfile', target: 'web', tag: 'ride-duration/web:local' },
  producer: { dockerfile: 'producer/Dockerfile', target: 'runtime', tag: 'ride-duration/producer:local' },
} as const satisfies Record<string, ImageSpec>;

export interface BuiltImage {
  tag: string;
  /** The image's size as the engine reports it (all layers, base included). */
  sizeBytes: number;
  buildSeconds: number;
}

/**
 * The OCI annotations that depend on the checkout, given as `--label` at build time as CI pipelines do (the
 * Dockerfiles carry the fixed ones). Not build arguments: buildah 1.28 reuses a cached LABEL layer whose
 * arguments changed, so the revision went stale.
 */
async function checkoutLabels(): Promise<Record<string, string>> {
  const git = (args: string[]) => runToExit('git', args, { cwd: REPO_ROOT }).then((r) => r.stdout.trim());
  const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  return {
    'org.opencontainers.image.version': version,
    'org.opencontainers.image.revision': (await git(['rev-parse', 'HEAD'])) || 'unknown',
    // Where the source can be had: the clone's origin, or the checkout itself when it has none.
    'org.opencontainers.image.source':
      (await git(['remote', 'get-url', 'origin'])) || pathToFileURL(REPO_ROOT).href,
  };
}

/**
 * Builds one image from the repository root as a user would (`docker build -f <Dockerfile> --target <stage> .`),
 * on the base nodeBaseImage picks. The engine's layer cache makes a rebuild of unchanged sources quick. podman
 * writes Docker-format images so HEALTHCHECK is kept (OCI has no health check).
 */
export async function buildImage(engine: ContainerEngine, spec: ImageSpec): Promise<BuiltImage> {
  const started = performance.now();
  const base = await nodeBaseImage(engine);
  const labels = await checkoutLabels();
  const build = (extra: readonly string[] = []) =>
    engine.checked([
      'build',
      ...extra,
      ...(engine.name === 'podman' ? ['--format', 'docker'] : []),
      '--network',
      'host',
      '--file',
      spec.dockerfile,
      '--target',
      spec.target,
      '--tag',
      spec.tag,
      '--build-arg',
      `NODE_IMAGE=${base}`,
      ...Object.entries(labels).flatMap(([name, value]) => ['--label', `${name}=${value}`]),
      REPO_ROOT,
    ]);
  await build();
  // buildah 1.28 also reuses a fully cached image whose --label values changed (a new commit with the same
  // sources): its labels are then the old build's. Seen with two checkouts built one after the other on one
  // machine. Only then, build again without the cache.
  const revision = 'org.opencontainers.image.revision';
  if ((await imageLabels(engine, spec.tag))[revision] !== labels[revision]) await build(['--no-cache']);
  const size = await engine.checked(['image', 'inspect', '--format', '{{.Size}}', spec.tag]);
  return {
    tag: spec.tag,
    sizeBytes: Number(size.stdout.trim()),
    buildSeconds: (performance.now() - started) / 1000,
  };
}

/** Image labels (`LABEL`), read back from the engine. */
export async function imageLabels(engine: ContainerEngine, tag: string): Promise<Record<string, string>> {
  const out = await engine.checked(['image', 'inspect', '--format', '{{json .Config.Labels}}', tag]);
  return JSON.parse(out.stdout) ?? {};
}
