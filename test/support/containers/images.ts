import { expect, onTestFinished } from 'vitest';
import {
  type BuiltImage,
  buildImage,
  type Container,
  type ContainerEngine,
  containerEngine,
  type ImageSpec,
  ownContainers,
  PROJECT_IMAGES,
  type RunSpec,
  removeOrphanContainers,
  startContainer,
  tail,
  waitFor,
} from '../../../harness/index.js';

export type ImageName = keyof typeof PROJECT_IMAGES;

/** A fresh machine builds the base and the images within this (measured: the times buildImages prints). */
export const BUILD_TIMEOUT_MS = 15 * 60_000;

/**
 * Builds the named project images (the engine's layer cache makes a rebuild of unchanged sources quick) and prints
 * each one's size and build time (the sizes docs/deployment.md reports).
 */
export async function buildImages<N extends ImageName>(
  names: readonly N[],
): Promise<{ engine: ContainerEngine; images: Record<N, BuiltImage> }> {
  const engine = await containerEngine();
  const orphans = await removeOrphanContainers(engine);
  if (orphans.length > 0)
    console.warn(`[images] removed containers a killed test run left: ${orphans.join(', ')}`);
  const images = {} as Record<N, BuiltImage>;
  for (const name of names) {
    const spec: ImageSpec = PROJECT_IMAGES[name];
    const built = await buildImage(engine, spec);
    images[name] = built;
    const mb = (built.sizeBytes / 1e6).toFixed(0);
    console.warn(
      `[images] ${built.tag} (${engine.name}): ${mb} MB, built in ${built.buildSeconds.toFixed(1)} s`,
    );
  }
  return { engine, images };
}

/** Starts a container that is removed at the end of the current test, failing or not. */
export async function containerForTest(engine: ContainerEngine, spec: RunSpec): Promise<Container> {
  const container = await startContainer(engine, spec);
  onTestFinished(() => container.remove());
  return container;
}

/**
 * waitFor, failing with the container's recent logs (what a reader needs to see why it never got there), at once
 * when the container has exited.
 */
export async function waitWithLogs(
  container: Container,
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  try {
    await waitFor(
      async () => {
        if (await check()) return true;
        if (!(await container.running())) throw new Error(`${what}: the container exited`);
        return false;
      },
      timeoutMs,
      () => what,
    );
  } catch (err) {
    throw new Error(
      `${(err as Error).message}; ${container.name}'s logs:\n${tail(await container.logs(), 60)}`,
    );
  }
}

/** A test file's last check (its afterAll): every container its tests started is gone, failing or not. */
export async function expectNoContainersLeft(engine: ContainerEngine | undefined): Promise<void> {
  if (engine !== undefined) expect(await ownContainers(engine)).toEqual([]);
}
