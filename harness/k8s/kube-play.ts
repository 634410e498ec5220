import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { OWNER_LABEL } from '../containers/container.js';
import type { ContainerEngine } from '../containers/container-engine.js';
import { registerCleanup } from '../exit-hooks.js';
import type { Manifest } from './helm.js';

/** Pods podman runs from Kubernetes YAML (`podman kube play`), until `down()`. */
export interface PlayedKube {
  /** The containers podman made of the pods (`<pod>-<container>`). */
  readonly containers: string[];
  /** `podman kube down` of the same YAML: stops and removes the pods. */
  down(): Promise<void>;
}

/**
 * Runs Kubernetes manifests (a Deployment and the ConfigMap it reads, as the chart renders them) with podman's
 * `kube play`. Every pod is labelled with this process's pid, so the harness's sweep of orphan containers also
 * finds pods a killed test run left behind; they are taken down when this process exits if the caller did not.
 */
export async function playKube(engine: ContainerEngine, manifests: readonly Manifest[]): Promise<PlayedKube> {
  if (engine.name !== 'podman') throw new Error('`kube play` needs podman; this machine runs Docker');
  const owned = manifests.map((manifest) => {
    if (manifest.kind !== 'Deployment') return manifest;
    const copy = structuredClone(manifest);
    copy.spec.template.metadata.labels = {
      ...copy.spec.template.metadata.labels,
      [OWNER_LABEL]: String(process.pid),
    };
    return copy;
  });
  const dir = mkdtempSync(join(tmpdir(), 'ride-kube-play-'));
  const file = join(dir, 'play.yaml');
  writeFileSync(file, owned.map((m) => stringify(m)).join('---\n'));
  const downNow = () => {
    spawnSync(engine.name, ['kube', 'down', file], { env: engine.env, stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  const unregister = registerCleanup({
    stop: async () => {
      await engine.run(['kube', 'down', file]);
      rmSync(dir, { recursive: true, force: true });
    },
    stopNow: downNow,
  });
  try {
    await engine.checked(['kube', 'play', file]);
  } catch (err) {
    unregister();
    downNow();
    throw err;
  }
  const listed = await engine.checked([
    'ps',
    '--filter',
    `label=${OWNER_LABEL}=${process.pid}`,
    '--format',
    '{{.Names}}',
  ]);
  return {
    containers: listed.stdout.split('\n').filter((name) => name !== ''),
    async down() {
      unregister();
      await engine.checked(['kube', 'down', file]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
