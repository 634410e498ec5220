import { type Logger, ModelError } from '@ride/shared';
import {
  createModelSource,
  ModelScorer,
  type ModelSource,
  type ModelSourceSettings,
  type ResolvedModel,
  validateModel,
} from '@ride/shared/model';
import type { ModelMetrics } from './model-metrics.js';

export type SwapResult = 'unchanged' | 'swapped' | 'refused' | 'unreachable';

export interface ModelWatcherOptions {
  source: ModelSource;
  /** Time between polls of the source; 0 never polls (the first model serves for the process's life). */
  intervalMs: number;
  load: (dir: string) => Promise<ModelScorer>;
  logger: Logger;
  /** Counts swaps and refusals and shows the model serving; the consumer's and web service's registries. */
  metrics?: ModelMetrics;
  /** How long a replaced model stays open for a batch that took it just before the swap. */
  retireAfterMs?: number;
}

/**
 * Serves the model a source points at and follows it: each poll resolves the source (one registry call when
 * nothing moved); a new model is downloaded, loaded and validated off the hot path, then swapped in by replacing
 * one reference, so the next batch (which asks `current` once) uses it. A model that fails to load or validate
 * is refused once, logged and counted; the old one keeps serving.
 */
export class ModelWatcher {
  private readonly options: ModelWatcherOptions;
  private readonly log: Logger;
  private serving: { scorer: ModelScorer; model: ResolvedModel };
  private refusedKey: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<SwapResult> | undefined;
  private readonly retiring = new Set<ModelScorer>();
  private stopped = false;

  private constructor(options: ModelWatcherOptions, scorer: ModelScorer, model: ResolvedModel) {
    this.options = options;
    this.log = options.logger.child({ component: 'model-watcher', location: options.source.location });
    this.serving = { scorer, model };
    this.show(scorer, 1);
  }

  /** Resolves and loads the first model; a failure here is the caller's start-up failure. */
  static async create(options: ModelWatcherOptions): Promise<ModelWatcher> {
    const model = await options.source.resolve();
    const scorer = await options.load(model.dir);
    options.logger.info(
      { model: { name: scorer.name, version: scorer.version, from: model.description } },
      'model loaded',
    );
    return new ModelWatcher(options, scorer, model);
  }

  get current(): ModelScorer {
    return this.serving.scorer;
  }

  start(): void {
    if (this.options.intervalMs <= 0 || this.stopped) return;
    this.timer = setTimeout(async () => {
      await this.check();
      this.start();
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** One poll; concurrent callers share it. */
  check(): Promise<SwapResult> {
    this.checking ??= this.poll().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  /** Stops polling and closes replaced models; the current one is the caller's to close after its last batch. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.checking;
    await Promise.all([...this.retiring].map((s) => s.close()));
    this.retiring.clear();
  }

  private async poll(): Promise<SwapResult> {
    let model: ResolvedModel;
    try {
      model = await this.options.source.resolve();
    } catch (err) {
      this.log.warn({ err }, 'model source unreachable: the current model keeps serving');
      this.options.metrics?.modelSwaps.inc({ result: 'unreachable' });
      return 'unreachable';
    }
    if (model.key === this.serving.model.key || model.key === this.refusedKey) return 'unchanged';
    const started = performance.now();
    let candidate: ModelScorer | undefined;
    try {
      candidate = await this.options.load(model.dir);
      await validateModel(candidate, this.serving.scorer.name);
    } catch (err) {
      await candidate?.close();
      this.refusedKey = model.key;
      const code = err instanceof ModelError ? err.code : undefined;
      this.log.error(
        { err, refused: model.description, code },
        'new model refused: the current model keeps serving',
      );
      this.options.metrics?.modelSwaps.inc({ result: 'refused' });
      return 'refused';
    }
    const old = this.serving.scorer;
    this.serving = { scorer: candidate, model };
    this.refusedKey = undefined;
    this.show(old, 0);
    this.show(candidate, 1);
    this.options.metrics?.modelSwaps.inc({ result: 'swapped' });
    this.log.info(
      {
        from: old.version,
        to: candidate.version,
        model: model.description,
        loadMs: Math.round(performance.now() - started),
      },
      'model swapped: the next batch uses it',
    );
    this.retire(old);
    return 'swapped';
  }

  private retire(scorer: ModelScorer): void {
    this.retiring.add(scorer);
    setTimeout(() => {
      if (!this.retiring.delete(scorer)) return;
      scorer.close().catch((err) => this.log.warn({ err }, 'closing a replaced model failed'));
    }, this.options.retireAfterMs ?? 30_000).unref();
  }

  private show(scorer: ModelScorer, value: number): void {
    this.options.metrics?.modelInfo.set({ model: scorer.name, version: scorer.version }, value);
  }
}

/** The watcher a service's main.ts wants: source from settings, ModelScorer.load with the service's threads, polling. */
export async function watchModel(
  settings: ModelSourceSettings,
  deps: { threads: number; logger: Logger; metrics?: ModelWatcherOptions['metrics'] },
): Promise<ModelWatcher> {
  const watcher = await ModelWatcher.create({
    source: createModelSource(settings.location, {
      cacheDir: settings.cacheDir,
      mlflowTrackingUri: settings.mlflowTrackingUri,
      mlflowToken: settings.mlflowToken,
    }),
    intervalMs: settings.pollIntervalMs,
    load: (dir) => ModelScorer.load(dir, { threads: deps.threads }),
    logger: deps.logger,
    metrics: deps.metrics,
  });
  watcher.start();
  return watcher;
}
