import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runChecked } from '../child-process.js';
import { REPO_ROOT } from '../repo-paths.js';

/** A command-line program built from the Go module proxy, pinned to one version. */
export interface GoTool {
  name: string;
  /** The main package, as `go install` takes it. */
  pkg: string;
  version: string;
}

/** Helm 4 (`helm template`, `helm lint`): renders and checks the chart in deploy/helm. */
export const HELM: GoTool = { name: 'helm', pkg: 'helm.sh/helm/v4/cmd/helm', version: 'v4.3.2' };

const TOOLS_DIR = join(REPO_ROOT, '.cache', 'tools');

/**
 * The tool's binary in the git-ignored .cache/tools, built with `go install` the first time (about 1.5 minutes for
 * helm on two cores; no download site for release binaries is reachable here). Needs Go on the PATH.
 */
export async function goTool(tool: GoTool): Promise<string> {
  const binary = join(TOOLS_DIR, `${tool.name}-${tool.version}`);
  if (existsSync(binary)) return binary;
  const gobin = join(TOOLS_DIR, `.build-${tool.name}-${process.pid}`);
  mkdirSync(gobin, { recursive: true });
  try {
    await runChecked('go', ['install', `${tool.pkg}@${tool.version}`], {
      env: { ...process.env, GOBIN: gobin, GOFLAGS: '-buildvcs=false', CGO_ENABLED: '0' },
    });
    // Moved into place whole, so a build cut short never leaves a binary that looks finished.
    renameSync(join(gobin, tool.name), binary);
  } finally {
    rmSync(gobin, { recursive: true, force: true });
  }
  return binary;
}
