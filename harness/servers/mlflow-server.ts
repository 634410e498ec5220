import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runToExit, tail } from '../child-process.js';
import { registerCleanup } from '../exit-hooks.js';
import { freePort } from '../free-port.js';
import { REPO_ROOT } from '../repo-paths.js';
import { waitFor } from '../wait-for.js';

export interface RegisteredVersion {
  name: string;
  /** Registry version number ("1", "2", ...). */
  version: string;
  /** The model's own version, from its metadata.json. */
  model_version: string;
  alias: string | null;
}

export interface MlflowServer {
  url: string;
  /** Registers model folders in order with models/register_mlflow.py; the alias moves to the last. */
  register(dirs: readonly string[], alias?: string): Promise<RegisteredVersion[]>;
  /** Moves an alias through the REST API (what an operator or a CI promotion step does). */
  setAlias(name: string, alias: string, version: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real MLflow tracking server from PyPI (models/requirements-mlflow.txt) on loopback, with a SQLite backend
 * store and proxied artifacts in a temporary folder. The venv is made by models/setup-mlflow-venv.sh on first
 * use (about a minute and a half); the server, its workers and the folder are removed by stop() or at exit.
 */
export async function startMlflowServer(): Promise<MlflowServer> {
  const setup = await runToExit('bash', [join(REPO_ROOT, 'models/setup-mlflow-venv.sh')], { cwd: REPO_ROOT });
  if (setup.code !== 0) throw new Error(`models/setup-mlflow-venv.sh failed:\n${tail(setup.output)}`);
  const python = setup.output.trim().split('\n').pop()!;
  const bin = dirname(python);
  const dir = await mkdtemp(join(tmpdir(), 'ride-mlflow-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = ['server', '--backend-store-uri', `sqlite:///${dir}/mlflow.db`, '--artifacts-destination'];
  args.push(join(dir, 'artifacts'), '--host', '127.0.0.1', '--port', String(port), '--workers', '1');
  // Its own process group, so stop() reaches the server's worker processes too.
  const child = spawn(join(bin, 'mlflow'), args, {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const stopNow = () => killGroup(child, 'SIGKILL');
  const unregister = registerCleanup({ stop: () => stop(), stopNow });
  async function stop(): Promise<void> {
    unregister();
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(stopNow, 10_000);
      await exited;
      clearTimeout(timer);
    }
    killGroup(child, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }

  try {
    await waitFor(
      async () => {
        if (await healthy(url)) return true;
        if (child.exitCode !== null) throw new Error('MLflow server exited');
        return false;
      },
      120_000,
      () => 'MLflow server not healthy',
      { intervalMs: 250 },
    );
  } catch {
    // Its output up to the end of stop(): why it failed is often in its last lines.
    await stop();
    throw new Error(`MLflow server did not start on ${url}:\n${tail(output)}`);
  }

  return {
    url,
    stop,
    async register(dirs, alias = 'champion') {
      const script = join(REPO_ROOT, 'models/register_mlflow.py');
      const modelArgs = dirs.flatMap((d) => ['--model-dir', d]);
      const run = await runToExit(python, [script, '--tracking-uri', url, ...modelArgs, '--alias', alias], {
        cwd: REPO_ROOT,
      });
      if (run.code !== 0) throw new Error(`register_mlflow.py failed:\n${tail(run.output)}`);
      return run.output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as RegisteredVersion);
    },
    async setAlias(name, alias, version) {
      const res = await fetch(`${url}/api/2.0/mlflow/registered-models/alias`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, alias, version }),
      });
      if (!res.ok)
        throw new Error(`setting ${name}@${alias} → ${version} failed: ${res.status} ${await res.text()}`);
    },
  };
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}
