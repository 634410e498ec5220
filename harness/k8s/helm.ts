import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runToExit } from '../child-process.js';
import { REPO_ROOT } from '../repo-paths.js';
import { goTool, HELM } from './go-tools.js';

/** The chart users install: deploy/helm/ride-duration. */
export const CHART_DIR = join(REPO_ROOT, 'deploy', 'helm', 'ride-duration');

/** One rendered Kubernetes object. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: a manifest's spec is whatever its kind says.
  spec?: any;
  data?: Record<string, string>;
}

export type RenderResult = { ok: true; manifests: Manifest[] } | { ok: false; error: string };

/** `helm template` of the chart with `--set` values (key=value); a refusal comes back as its message. */
export async function renderChart(
  set: readonly string[] = [],
  options: { release?: string; namespace?: string } = {},
): Promise<RenderResult> {
  const helm = await goTool(HELM);
  const args = [
    'template',
    options.release ?? 'rides',
    CHART_DIR,
    '--namespace',
    options.namespace ?? 'rides',
  ];
  for (const value of set) args.push('--set', value);
  const run = await runToExit(helm, args);
  if (run.code !== 0) return { ok: false, error: run.stderr.trim() };
  const manifests = parseAllDocuments(run.stdout)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
  return { ok: true, manifests };
}

/** `helm lint --strict` of the chart: its messages, and whether it passed. */
export async function lintChart(): Promise<{ ok: boolean; output: string }> {
  const run = await runToExit(await goTool(HELM), ['lint', '--strict', CHART_DIR]);
  return { ok: run.code === 0, output: run.output };
}
