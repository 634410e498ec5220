import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../harness/index.js';

// deploy/context-check: .dockerignore applied by fsutil's walker with patternmatcher's parser, the code BuildKit
// runs to send a build context. Built through the Go module proxy into .cache/tools. (buildah, the other reader of
// the file, builds the images for real in test/containers.)
const CHECK_DIR = join(REPO_ROOT, 'deploy/context-check');
const CHECK_BIN = join(REPO_ROOT, '.cache/tools/context-check');

describe('.dockerignore, as BuildKit reads it', () => {
  it('sends what the Dockerfiles copy and nothing built, cached, downloaded or test-only', () => {
    const build = spawnSync('go', ['build', '-o', CHECK_BIN, '.'], {
      cwd: CHECK_DIR,
      env: { ...process.env, GOFLAGS: '-buildvcs=false' },
      encoding: 'utf8',
    });
    expect(build.status, build.stderr).toBe(0);
    const run = spawnSync(CHECK_BIN, [REPO_ROOT], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    expect(run.status, run.stderr).toBe(0);
    const files = run.stdout.trim().split('\n');

    for (const file of [
      'package.json',
      'package-lock.json',
      'tsconfig.base.json',
      'shared/package.json',
      'shared/tsconfig.json',
      'shared/src/avro/schema-ids.json',
      'shared/src/avro/ride-started.v2.avsc',
      'consumer/src/stream/main.ts',
      'producer/src/main.ts',
      'scripts/fetch-data.sh',
      'models/ride-duration/1.0.0/model.onnx',
      'models/ride-duration/1.0.0/metadata.json',
    ])
      expect(files, file).toContain(file);
    const unwanted = files.filter((f) =>
      /(^|\/)(node_modules|dist|\.cache|\.git|data|test)\/|\.tsbuildinfo$|^models\/(?!ride-duration\/)|parity-fixture|lightgbm/.test(
        f,
      ),
    );
    expect(unwanted).toEqual([]);
  }, 300_000);
});
