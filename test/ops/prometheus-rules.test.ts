import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { REPO_ROOT } from '../../harness/index.js';
import { dashboardQueries } from '../support/dashboard-queries.js';
import { COMPOSE_PROMETHEUS_CONFIG, ensurePrometheus } from '../support/prometheus-process.js';

const RULES_DIR = join(REPO_ROOT, 'deploy/prometheus/rules');
const RULES = join(RULES_DIR, 'ride-duration.yml');
const UNIT_TESTS = ['ride-duration.test.yml', 'ride-duration-drift.test.yml'];

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
}
const rules = (parse(readFileSync(RULES, 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap(
  (g) => g.rules,
);

function promtool(args: string[], cwd = RULES_DIR) {
  const run = spawnSync('promtool', args, { cwd, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const scratch = mkdtempSync(join(tmpdir(), 'ride-rules-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('Prometheus rules, with Debian promtool', () => {
  ensurePrometheus();

  it('the compose config loads the rule file, and promtool accepts every rule', () => {
    const config = promtool(['check', 'config', COMPOSE_PROMETHEUS_CONFIG]);
    expect(config.status, config.output).toBe(0);
    // A rule_files entry matching no file is no error to Prometheus: the rules must really be found.
    expect(config.output).toContain('1 rule files found');
    expect(config.output).toContain(`SUCCESS: ${rules.length} rules found`);
    const check = promtool(['check', 'rules', RULES]);
    expect(check.status, check.output).toBe(0);
  });

  it('passes its promtool unit tests: recorded RMSE/MAE/bias/PSI and alerts firing and not', () => {
    const run = promtool(['test', 'rules', ...UNIT_TESTS]);
    expect(run.status, run.output).toBe(0);
    expect(run.output.match(/SUCCESS/g)?.length).toBe(UNIT_TESTS.length);
  });

  it('fails a broken rule: a syntax error in check, a changed threshold and PSI formula in the unit tests', () => {
    const original = readFileSync(RULES, 'utf8');
    const unparsable = join(scratch, 'unparsable.yml');
    writeFileSync(
      unparsable,
      original.replace('(rate(ride_evaluated_pairs_total[1h]))', '(rate(ride_evaluated_pairs_total[1h])'),
    );
    const check = promtool(['check', 'rules', unparsable]);
    expect(check.status, check.output).toBe(1);
    expect(check.output).toMatch(/model_version:ride_evaluated_pairs:rate1h|parse error/);

    // The unit tests beside a copy of the rules whose bias alert needs 3 min and whose PSI clamps at 1e-3.
    const wrong = original
      .replace(
        'abs(model_version:ride_evaluation_bias_minutes:1h) > 1',
        'abs(model_version:ride_evaluation_bias_minutes:1h) > 3',
      )
      .replaceAll('1e-4', '1e-3');
    expect(wrong).not.toBe(original);
    writeFileSync(join(scratch, 'ride-duration.yml'), wrong);
    for (const t of UNIT_TESTS) copyFileSync(join(RULES_DIR, t), join(scratch, t));
    const run = promtool(['test', 'rules', ...UNIT_TESTS], scratch);
    expect(run.status, run.output).toBe(1);
    expect(run.output).toContain('alertname: RideModelBiased');
    expect(run.output).toContain('round(model_version_feature:ride_input_psi:1d, 1e-9)');
  });

  it('the dashboard\'s "Model quality" queries parse and read only recorded rules or exported metrics', () => {
    const panels = [
      'Live RMSE and MAE per model version',
      'Live bias per model version',
      'Evaluated pairs per second',
      'Canary share and rollbacks',
      'Input drift, PSI over the last hour',
      'Input drift, PSI over the last day',
    ];
    const queries = dashboardQueries().filter((q) => panels.includes(q.panel));
    expect(new Set(queries.map((q) => q.panel))).toEqual(new Set(panels));

    // Each query as a recording rule, so promtool parses it.
    const file = join(scratch, 'dashboard.yml');
    const asRules = queries.map((q, i) => ({ record: `dashboard:query_${i}`, expr: q.expr }));
    writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules: asRules }] }));
    const check = promtool(['check', 'rules', file]);
    expect(check.status, check.output).toBe(0);

    const recorded = new Set(rules.flatMap((r) => (r.record ? [r.record] : [])));
    // The evaluator's metrics as its source registers them; the scorer's canary and drift metrics.
    const evaluatorSource = readFileSync(
      join(REPO_ROOT, 'consumer/src/evaluate/evaluator-metrics.ts'),
      'utf8',
    );
    const exported = new Set([
      ...[...evaluatorSource.matchAll(/'(ride_[a-z_]+)'/g)].map((m) => m[1] ?? ''),
      'ride_canary_share',
      'ride_canary_rollbacks_total',
    ]);
    const used = queries.flatMap((q) =>
      [...q.expr.matchAll(/\b(ride_[a-z_]+|[a-z_]+:[a-z0-9_:]+)\b/g)].map((m) => m[1] ?? ''),
    );
    expect(used.length).toBeGreaterThan(queries.length - 1);
    for (const name of used) expect(recorded.has(name) || exported.has(name), name).toBe(true);
    // Every recorded figure the panels promise is drawn.
    for (const name of [
      'model_version:ride_evaluation_rmse_minutes:1h',
      'model_version:ride_evaluation_mae_minutes:1h',
      'model_version:ride_evaluation_bias_minutes:1h',
      'model_version:ride_evaluated_pairs:rate1h',
      'model_version_feature:ride_input_psi:1h',
      'model_version_feature:ride_input_psi:1d',
    ])
      expect(used).toContain(name);
  });
});
