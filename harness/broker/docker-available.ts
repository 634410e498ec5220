import { existsSync } from 'node:fs';

/**
 * True when testcontainers finds a working container runtime. Bounded in time, and false (not a crash) when
 * testcontainers cannot even load, so machines without Docker fall through to the local broker quickly.
 */
export async function dockerAvailable(timeoutMs = 5_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
  });
  const detect = import('testcontainers').then(
    ({ getContainerRuntimeClient }) =>
      getContainerRuntimeClient().then(
        () => true,
        () => false,
      ),
    (err: unknown) => {
      // testcontainers 12 needs Node >= 22.22 (undici 8); say so when Docker looks present but goes unused.
      if (process.env.DOCKER_HOST || existsSync('/var/run/docker.sock')) {
        console.warn(`testcontainers cannot load here (${String(err)}); using a local Kafka broker instead`);
      }
      return false;
    },
  );
  try {
    return await Promise.race([detect, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
