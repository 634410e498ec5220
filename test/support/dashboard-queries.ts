import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../harness/index.js';

export const DASHBOARD_FILE = join(REPO_ROOT, 'deploy/grafana/dashboards/ride-duration.json');

export interface DashboardQuery {
  panel: string;
  refId: string;
  expr: string;
  datasourceUid: string | undefined;
}

interface Panel {
  title: string;
  targets?: { refId: string; expr: string; datasource?: { uid?: string } }[];
  panels?: Panel[];
}

/** Every PromQL expression of the provisioned Grafana dashboard, with the panel it draws. */
export function dashboardQueries(file = DASHBOARD_FILE): DashboardQuery[] {
  const dashboard = JSON.parse(readFileSync(file, 'utf8')) as { panels: Panel[] };
  // Rows nest their panels one level down.
  const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
  return panels.flatMap((p) =>
    (p.targets ?? []).map((t) => ({
      panel: p.title,
      refId: t.refId,
      expr: t.expr,
      datasourceUid: t.datasource?.uid,
    })),
  );
}
