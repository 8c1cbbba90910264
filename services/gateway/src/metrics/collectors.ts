/**
 * Counter and histogram collectors that plug into the service's prom-client Registry (from
 * @stratum/observability) through its public `registerMetric`: the registry renders them like
 * its own. They exist because the gateway cannot construct prom-client's classes (prom-client is
 * a dependency of @stratum/observability only, which exports the Registry but not Counter or
 * Histogram). They are also cheaper on the hot path: a series is resolved once into a handle,
 * so counting is an addition, not a label hash per call.
 */
import type { Registry } from '@stratum/observability';

type RegisteredMetric = Parameters<Registry['registerMetric']>[0];

interface SampleValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

interface Collected {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: 'sum';
  values: SampleValue[];
}

abstract class Collector<L extends string, S> {
  private readonly seriesByKey = new Map<string, { labels: Record<L, string>; state: S }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly L[],
    registry: Registry,
  ) {
    registry.registerMetric(this as unknown as RegisteredMetric);
  }

  protected abstract newState(): S;
  protected abstract samples(labels: Record<L, string>, state: S): SampleValue[];
  abstract readonly type: 'counter' | 'histogram';

  /** The state of one label combination, created (at zero) on first use. */
  protected stateFor(labels: Record<L, string>): S {
    const key = this.labelNames.map((l) => labels[l]).join('\u0000');
    let entry = this.seriesByKey.get(key);
    if (entry === undefined) {
      entry = { labels: { ...labels }, state: this.newState() };
      this.seriesByKey.set(key, entry);
    }
    return entry.state;
  }

  /** What prom-client's Registry calls to render the metric. */
  async get(): Promise<Collected> {
    const values: SampleValue[] = [];
    for (const { labels, state } of this.seriesByKey.values()) values.push(...this.samples(labels, state));
    return { name: this.name, help: this.help, type: this.type, aggregator: 'sum', values };
  }

  reset(): void {
    this.seriesByKey.clear();
  }
}

export interface CounterHandle {
  inc(by?: number): void;
}

export class CounterCollector<L extends string> extends Collector<L, { value: number }> {
  readonly type = 'counter';

  protected newState() {
    return { value: 0 };
  }

  protected samples(labels: Record<L, string>, state: { value: number }): SampleValue[] {
    return [{ value: state.value, labels }];
  }

  /** A handle on one series (it exists, at 0, from now on). */
  series(labels: Record<L, string>): CounterHandle {
    const state = this.stateFor(labels);
    return {
      inc(by = 1) {
        state.value += by;
      },
    };
  }
}

export interface HistogramHandle {
  observe(value: number): void;
}

interface HistogramState {
  counts: number[];
  sum: number;
  count: number;
}

export class HistogramCollector<L extends string> extends Collector<L, HistogramState> {
  readonly type = 'histogram';

  constructor(
    name: string,
    help: string,
    labelNames: readonly L[],
    registry: Registry,
    private readonly buckets: readonly number[],
  ) {
    super(name, help, labelNames, registry);
  }

  protected newState(): HistogramState {
    return { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
  }

  protected samples(labels: Record<L, string>, state: HistogramState): SampleValue[] {
    const out: SampleValue[] = [];
    let cumulative = 0;
    this.buckets.forEach((bound, i) => {
      cumulative += state.counts[i]!;
      out.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: bound }, value: cumulative });
    });
    out.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: '+Inf' }, value: state.count });
    out.push({ metricName: `${this.name}_sum`, labels, value: state.sum });
    out.push({ metricName: `${this.name}_count`, labels, value: state.count });
    return out;
  }

  series(labels: Record<L, string>): HistogramHandle {
    const state = this.stateFor(labels);
    const buckets = this.buckets;
    return {
      observe(value) {
        state.sum += value;
        state.count += 1;
        for (let i = 0; i < buckets.length; i++) {
          if (value <= buckets[i]!) {
            state.counts[i]! += 1;
            return;
          }
        }
      },
    };
  }
}
