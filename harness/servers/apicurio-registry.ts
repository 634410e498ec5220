import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { harnessMarker, spawnWatchdog, stopJava } from '../broker/java-process.js';
import { runToExit, tail } from '../child-process.js';
import { registerCleanup } from '../exit-hooks.js';
import { freePort } from '../free-port.js';
import { REPO_ROOT } from '../repo-paths.js';
import { waitFor } from '../wait-for.js';

/** 3.0.9 is the last release whose runner jar runs on Java 17 (3.1 and later need Java 21). */
export const APICURIO_VERSION = '3.0.9';
const ARTIFACT = `io.apicurio:apicurio-registry-app:${APICURIO_VERSION}:tar.gz:all`;

export interface SchemaRegistry {
  /** The Confluent-compatible API (what SCHEMA_REGISTRY_URL names). */
  url: string;
  stop(): Promise<void>;
}

/**
 * The runner jar of Apicurio Registry (Apache-2.0) from Maven Central, fetched and unpacked once into
 * .cache/apicurio; unpacked in a private folder renamed into place, so concurrent callers never see half of it.
 */
async function resolveRegistryJar(): Promise<string> {
  const dir = join(REPO_ROOT, '.cache', 'apicurio', APICURIO_VERSION);
  const jar = join(dir, `apicurio-registry-app-${APICURIO_VERSION}-runner.jar`);
  if (existsSync(jar)) return jar;
  await mkdir(join(dir, '..'), { recursive: true });
  const work = await mkdtemp(join(dir, '..', 'resolving-'));
  try {
    const copy = await runToExit(
      'mvn',
      ['-q', '-B', 'dependency:copy', `-Dartifact=${ARTIFACT}`, `-DoutputDirectory=${work}`],
      { cwd: work },
    );
    if (copy.code !== 0) throw new Error(`mvn dependency:copy ${ARTIFACT} failed:\n${tail(copy.output)}`);
    const archive = `apicurio-registry-app-${APICURIO_VERSION}-all.tar.gz`;
    const untar = await runToExit('tar', ['xzf', archive], { cwd: work });
    if (untar.code !== 0) throw new Error(`unpacking ${archive} failed:\n${tail(untar.output)}`);
    await rm(join(work, archive));
    await rename(work, dir).catch(async (err: NodeJS.ErrnoException) => {
      if (!existsSync(jar)) throw err; // another caller won the race
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return jar;
}

/**
 * A real Confluent-compatible schema registry on loopback: Apicurio Registry with in-memory storage (its
 * `/apis/ccompat/v7` API), stopped by stop(), at exit, or by a watchdog if this process is killed.
 */
export async function startSchemaRegistry(): Promise<SchemaRegistry> {
  const jar = await resolveRegistryJar();
  const port = await freePort();
  const logDir = await mkdtemp(join(tmpdir(), 'ride-registry-'));
  const logFile = join(logDir, 'registry.log');
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn('java', ['-Xmx256m', harnessMarker(), '-jar', jar], {
      env: { ...process.env, QUARKUS_HTTP_HOST: '127.0.0.1', QUARKUS_HTTP_PORT: String(port) },
      stdio: ['ignore', fd, fd],
    });
    child.unref();
  } finally {
    closeSync(fd);
  }
  spawnWatchdog(child.pid!, logDir);
  const stop = async () => {
    unregister();
    await stopJava(child, 10_000);
    await rm(logDir, { recursive: true, force: true });
  };
  const unregister = registerCleanup({
    stop,
    stopNow: () => {
      child.kill('SIGKILL');
    },
  });
  const base = `http://127.0.0.1:${port}`;
  // Read before stop(), which deletes the log's folder.
  const notReady = () =>
    new Error(`Apicurio Registry did not become ready on ${base}:\n${tail(readFileSync(logFile, 'utf8'))}`);
  try {
    await waitFor(
      async () => {
        if (await ready(base)) return true;
        if (child.exitCode !== null) throw notReady();
        return false;
      },
      120_000,
      notReady,
      { intervalMs: 250 },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `${base}/apis/ccompat/v7`, stop };
}

async function ready(base: string): Promise<boolean> {
  try {
    return (await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}
