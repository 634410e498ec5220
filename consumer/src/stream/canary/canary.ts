import type { Logger } from '@ride/shared';
import type { ModelScorer } from '@ride/shared/model';
import { CanaryJudge, type Comparison, type JudgeSettings, type WindowFigures } from './canary-judge.js';
import type { CanaryMetrics } from './canary-metrics.js';
import type { RollbackDecision, RollbackReason } from './evaluation-feed.js';

export interface CanarySettings extends JudgeSettings {
  /** Share of ride ids (by hash) the candidate answers while it is live. */
  share: number;
  /** More failed rides than this rolls the candidate back. */
  maxFailures: number;
}

export interface CanaryOptions {
  settings: CanarySettings;
  champion: () => ModelScorer;
  candidate: () => ModelScorer;
  /** Records a rollback where every member reads it (EVALUATIONS_TOPIC); it comes back through `observe`. */
  publish: (decision: RollbackDecision) => Promise<void>;
  metrics: CanaryMetrics;
  logger: Logger;
}

type State = 'live' | 'rolled-back' | 'promoted';

/**
 * The canary split and its guard. Routes `share` of the rides to the candidate while it is live; rolls it back (its
 * share returns to the champion) when its live error, from the evaluator's windows, is worse than the champion's by
 * the margin, or when it fails more rides than allowed. A rollback is published, so every member applies it, and a
 * member that starts reads the decisions and windows before it scores. A candidate that has become the champion (a
 * promotion) is served by the champion alone.
 */
export class Canary {
  private readonly options: CanaryOptions;
  private readonly log: Logger;
  private readonly windows: WindowFigures[] = [];
  private readonly rolledBack = new Map<string, RollbackDecision>();
  private judge: { champion: string; candidate: string; judge: CanaryJudge } | undefined;
  private failures = { version: '', count: 0 };
  private deciding = false;
  /** The judge whose verdict was last logged as holding up. */
  private holding: CanaryJudge | undefined;
  private shown: { version: string; state: State } | undefined;

  constructor(options: CanaryOptions) {
    this.options = options;
    this.log = options.logger.child({ component: 'canary' });
  }

  /** The split for the next chunk: the candidate and its share, or undefined when the champion answers all. */
  route(): { scorer: ModelScorer; share: number } | undefined {
    const candidate = this.options.candidate();
    const state = this.state(candidate.version);
    this.show(candidate.version, state);
    return state === 'live' ? { scorer: candidate, share: this.options.settings.share } : undefined;
  }

  /** A record of the evaluations topic. */
  observe(
    record: { kind: 'window'; figures: WindowFigures } | { kind: 'rollback'; decision: RollbackDecision },
  ): void {
    if (record.kind === 'rollback') {
      this.applied(record.decision);
      return;
    }
    this.windows.push(record.figures);
    this.currentJudge()?.observe(record.figures);
    this.judgeNow();
  }

  /** Rides the candidate failed on in a chunk (the champion answered them). */
  failed(version: string, count: number): void {
    if (count === 0) return;
    this.options.metrics.failures.inc({ model_version: version }, count);
    if (this.failures.version !== version) this.failures = { version, count: 0 };
    this.failures.count += count;
    if (this.failures.count > this.options.settings.maxFailures && this.state(version) === 'live') {
      void this.decide(
        'failures',
        `it failed ${this.failures.count} rides (CANARY_MAX_FAILURES=${this.options.settings.maxFailures})`,
      );
    }
  }

  private state(candidate: string): State {
    if (candidate === this.options.champion().version) return 'promoted';
    return this.rolledBack.has(candidate) ? 'rolled-back' : 'live';
  }

  private currentJudge(): CanaryJudge | undefined {
    const champion = this.options.champion().version;
    const candidate = this.options.candidate().version;
    if (champion === candidate) return undefined;
    if (this.judge?.champion !== champion || this.judge.candidate !== candidate) {
      const judge = new CanaryJudge(champion, candidate, this.options.settings);
      for (const w of this.windows) judge.observe(w);
      this.judge = { champion, candidate, judge };
    }
    return this.judge.judge;
  }

  private judgeNow(): void {
    const judge = this.currentJudge();
    if (judge === undefined || this.state(this.options.candidate().version) !== 'live') return;
    const verdict = judge.verdict();
    if (verdict.kind === 'keep' && this.holding !== judge) {
      this.holding = judge;
      this.log.info(
        { comparison: verdict.comparison },
        'canary within the margin of the champion: it keeps its share (promote it with models/gate.sh)',
      );
    }
    if (verdict.kind !== 'roll-back') return;
    void this.decide('error', describe(verdict.comparison, this.options.settings.marginMinutes));
  }

  private async decide(reason: RollbackReason, detail: string): Promise<void> {
    if (this.deciding) return;
    this.deciding = true;
    const candidate = this.options.candidate();
    const decision: RollbackDecision = {
      kind: 'canary-rollback',
      model: candidate.name,
      version: candidate.version,
      champion: this.options.champion().version,
      reason,
      detail,
      decided_at: new Date().toISOString(),
    };
    // Applied here at once; the published copy tells the other members and survives restarts.
    this.applied(decision);
    try {
      await this.options.publish(decision);
    } catch (err) {
      this.log.error(
        { err, decision },
        'the rollback could not be published: other members decide it themselves',
      );
    } finally {
      this.deciding = false;
    }
  }

  private applied(decision: RollbackDecision): void {
    if (this.rolledBack.has(decision.version)) return;
    this.rolledBack.set(decision.version, decision);
    this.options.metrics.rollbacks.inc({ model_version: decision.version, reason: decision.reason });
    this.log.warn(
      {
        candidate: decision.version,
        champion: decision.champion,
        reason: decision.reason,
        detail: decision.detail,
      },
      'canary rolled back: its share returns to the champion',
    );
  }

  private show(version: string, state: State): void {
    if (this.shown?.version === version && this.shown.state === state) return;
    if (this.shown !== undefined && this.shown.version !== version) {
      this.options.metrics.share.remove({ model_version: this.shown.version });
    }
    this.options.metrics.share.set(
      { model_version: version },
      state === 'live' ? this.options.settings.share : 0,
    );
    if (state === 'promoted')
      this.log.info({ version }, 'the candidate is the champion now: it answers every ride');
    if (state === 'live') this.log.info({ version, share: this.options.settings.share }, 'canary live');
    this.shown = { version, state };
  }
}

function describe(c: Comparison, margin: number): string {
  const f = (x: number) => x.toFixed(3);
  return (
    `RMSE ${f(c.candidate.rmse)} min over ${c.candidate.count} rides against the champion ${c.champion.version}'s ` +
    `${f(c.champion.rmse)} over ${c.champion.count} (margin ${margin}) in ${c.windows} windows`
  );
}
