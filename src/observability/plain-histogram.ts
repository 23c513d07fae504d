import { Histogram, type HistogramConfiguration, type LabelValues } from 'prom-client';

/**
 * The observations of one label set, in plain numbers: `observe` is a bucket search and three
 * additions, no label hashing (prom-client's `observe`, even on a child from `labels()`, validates
 * and hashes the labels on every call: about 0.4 µs).
 */
export class HistogramCell {
  /** Per bucket, not cumulative; the last slot is above the highest bound (`+Inf` only). */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const b = this.bounds;
    let i = 0;
    while (i < b.length && value > b[i]) i++;
    this.counts[i]++;
    this.sum += value;
    this.count++;
  }
}

type Sample = { labels: Record<string, string | number | undefined>; value: number; metricName: string };

/**
 * A prom-client Histogram whose observations go to HistogramCells (one per label set, made once and
 * kept by the caller), read only when the registry is scraped. Same exposition as a Histogram:
 * `_bucket{le}` (cumulative), `_sum`, `_count`.
 */
export class PlainHistogram<T extends string> extends Histogram<T> {
  private readonly cells: { labels: LabelValues<T>; cell: HistogramCell }[] = [];
  private readonly bounds: readonly number[];
  private readonly metricName: string;
  private readonly metricHelp: string;

  constructor(config: HistogramConfiguration<T> & { buckets: number[] }) {
    super(config);
    this.bounds = [...config.buckets].sort((a, b) => a - b);
    this.metricName = config.name;
    this.metricHelp = config.help;
  }

  /** A new cell for one label set; call it once per label set and keep the cell. */
  cell(labels: LabelValues<T>): HistogramCell {
    const cell = new HistogramCell(this.bounds);
    this.cells.push({ labels, cell });
    return cell;
  }

  override async get(): ReturnType<Histogram<T>['get']> {
    const name = this.metricName;
    const values: Sample[] = [];
    for (const { labels, cell } of this.cells) {
      let acc = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        acc += cell.counts[i];
        values.push({ labels: { ...labels, le: this.bounds[i] }, value: acc, metricName: `${name}_bucket` });
      }
      values.push({ labels: { ...labels, le: '+Inf' }, value: cell.count, metricName: `${name}_bucket` });
      values.push({ labels, value: cell.sum, metricName: `${name}_sum` });
      values.push({ labels, value: cell.count, metricName: `${name}_count` });
    }
    // prom-client's typings give `type` as a numeric enum and no `le` label; at run time the
    // registry writes `type` as is and takes every label (this is what its own Histogram returns).
    const metric = { name, help: this.metricHelp, type: 'histogram', aggregator: 'sum', values };
    return metric as unknown as Awaited<ReturnType<Histogram<T>['get']>>;
  }

  /** What the registry reads when it renders the text format (prom-client's Histogram defines it too). */
  getForPromString() {
    return this.get();
  }
}
