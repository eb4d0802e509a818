// A small Prometheus registry: counters, gauges and histograms with labels, rendered in the text
// exposition format (0.0.4).
type Labels = Record<string, string>;

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  series: Map<string, { labels: Labels; value: number; buckets?: number[]; sum?: number; count?: number }>;
  buckets?: number[];
  collect?: () => Array<{ labels: Labels; value: number }>;
}

const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class MetricsRegistry {
  private readonly families = new Map<string, Family>();

  counter(name: string, help: string) {
    const f = this.family(name, help, 'counter');
    return {
      inc: (labels: Labels = {}, by = 1) => { const s = this.series(f, labels); s.value += by; },
      get: (labels: Labels = {}) => f.series.get(labelKey(labels))?.value ?? 0,
    };
  }

  gauge(name: string, help: string) {
    const f = this.family(name, help, 'gauge');
    return {
      set: (labels: Labels, value: number) => { this.series(f, labels).value = value; },
      remove: (match: (l: Labels) => boolean) => { for (const [k, s] of f.series) if (match(s.labels)) f.series.delete(k); },
      get: (labels: Labels = {}) => f.series.get(labelKey(labels))?.value,
    };
  }

  /** A gauge computed at scrape time. */
  gaugeFunc(name: string, help: string, collect: () => Array<{ labels: Labels; value: number }>): void {
    const f = this.family(name, help, 'gauge');
    f.collect = collect;
  }

  histogram(name: string, help: string, buckets = DEFAULT_BUCKETS) {
    const f = this.family(name, help, 'histogram');
    f.buckets = buckets;
    return {
      observe: (labels: Labels, v: number) => {
        const s = this.series(f, labels);
        s.buckets ??= buckets.map(() => 0);
        buckets.forEach((b, i) => { if (v <= b) (s.buckets as number[])[i]++; });
        s.sum = (s.sum ?? 0) + v;
        s.count = (s.count ?? 0) + 1;
      },
      count: (labels: Labels) => f.series.get(labelKey(labels))?.count ?? 0,
    };
  }

  render(): string {
    const out: string[] = [];
    for (const f of this.families.values()) {
      out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
      if (f.collect) {
        for (const s of f.collect()) out.push(`${f.name}${fmtLabels(s.labels)} ${fmtNum(s.value)}`);
        continue;
      }
      for (const s of f.series.values()) {
        if (f.type !== 'histogram') { out.push(`${f.name}${fmtLabels(s.labels)} ${fmtNum(s.value)}`); continue; }
        (f.buckets ?? []).forEach((b, i) => out.push(`${f.name}_bucket${fmtLabels({ ...s.labels, le: String(b) })} ${s.buckets?.[i] ?? 0}`));
        out.push(`${f.name}_bucket${fmtLabels({ ...s.labels, le: '+Inf' })} ${s.count ?? 0}`);
        out.push(`${f.name}_sum${fmtLabels(s.labels)} ${fmtNum(s.sum ?? 0)}`);
        out.push(`${f.name}_count${fmtLabels(s.labels)} ${s.count ?? 0}`);
      }
    }
    return out.join('\n') + '\n';
  }

  private family(name: string, help: string, type: Family['type']): Family {
    let f = this.families.get(name);
    if (!f) { f = { name, help, type, series: new Map() }; this.families.set(name, f); }
    return f;
  }

  private series(f: Family, labels: Labels) {
    const k = labelKey(labels);
    let s = f.series.get(k);
    if (!s) { s = { labels: { ...labels }, value: 0 }; f.series.set(k, s); }
    return s;
  }
}

function labelKey(l: Labels): string {
  return JSON.stringify(Object.keys(l).sort().map((k) => [k, l[k]]));
}

function fmtLabels(l: Labels): string {
  const keys = Object.keys(l);
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${String(l[k]).replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`).join(',')}}`;
}

function fmtNum(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}
