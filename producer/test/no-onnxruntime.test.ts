import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const producerDir = fileURLToPath(new URL('..', import.meta.url));

/** The native libraries a fresh Node has loaded after importing `specifiers` (resolved as the producer would). */
function sharedObjectsAfterImport(...specifiers: string[]): string[] {
  const imports = specifiers.map((s) => `await import(${JSON.stringify(s)});`).join('\n');
  const script = `${imports}\nprocess.stdout.write(JSON.stringify(process.report.getReport().sharedObjects));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: producerDir,
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as string[];
}

describe('native libraries the producer loads', () => {
  // Issue #13: the producer never scores, so importing its packages must not load onnxruntime's native library.
  it('imports @ride/shared and @ride/producer without loading onnxruntime', () => {
    const loaded = sharedObjectsAfterImport('@ride/shared', '@ride/producer');
    expect(loaded.filter((o) => /onnxruntime/.test(o))).toEqual([]);
  });

  // The control: onnxruntime-node loads its binding when imported, so the same probe sees it through the model entry.
  it('sees onnxruntime once @ride/shared/model is imported', () => {
    expect(sharedObjectsAfterImport('@ride/shared/model')).toContainEqual(
      expect.stringMatching(/onnxruntime/),
    );
  });
});
