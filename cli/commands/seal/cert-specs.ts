// `--cert` values: `FILE|URL`, or `NAME=FILE|URL` to seal for several clusters in one run
// (`-w 'clusters/{cluster}/x.yaml'`). A URL's own `=` (in a query) is not a name separator.
import { usageError } from '../../../src/errors.js';

export interface CertSpec { cluster?: string; ref: string }

const NAME = /^[A-Za-z0-9][-A-Za-z0-9_.]*$/;
export const CLUSTER_PLACEHOLDER = '{cluster}';

export function parseCertSpecs(values: string | string[] | undefined): CertSpec[] {
  if (values === undefined) return [];
  // One string is kubeseal's --cert (a path or URL as given); the repeatable seal flag is a list.
  if (!Array.isArray(values)) return [{ ref: values }];
  const list = values;
  const out: CertSpec[] = [];
  const seen = new Set<string>();
  for (const v of list) {
    const eq = v.indexOf('=');
    const name = eq > 0 ? v.slice(0, eq) : '';
    if (!name || !NAME.test(name)) { out.push({ ref: v }); continue; }
    const ref = v.slice(eq + 1);
    if (!ref) throw usageError('BadCert', `--cert ${v}: no certificate after "${name}="`, { hint: 'use --cert NAME=FILE|URL' });
    if (seen.has(name)) throw usageError('DuplicateCluster', `--cert names cluster "${name}" twice`, { hint: 'give each cluster one --cert NAME=FILE|URL' });
    seen.add(name);
    out.push({ cluster: name, ref });
  }
  return out;
}

/** The clusters of a multi-cluster run, or undefined for an ordinary one-certificate run. */
export function clusterTargets(specs: CertSpec[], write: string | undefined, o: { raw?: boolean; mergeInto?: string }): Array<Required<CertSpec>> | undefined {
  const templated = write?.includes(CLUSTER_PLACEHOLDER) ?? false;
  if (specs.length <= 1 && !templated) return undefined;
  const hint = "pass one --cert NAME=FILE|URL per cluster and -w 'clusters/{cluster}/FILE.yaml'";
  if (o.raw) throw usageError('MultiClusterRaw', 'sealing for several clusters cannot be combined with --raw', { hint: 'seal --raw once per certificate' });
  if (o.mergeInto) throw usageError('MultiClusterMerge', 'sealing for several clusters cannot be combined with --merge-into', { hint: 'run --merge-into once per cluster file' });
  if (!templated) throw usageError('NeedClusterPath', `several --cert need -w with ${CLUSTER_PLACEHOLDER} in the path (one file per cluster)`, { hint });
  if (specs.length === 0) throw usageError('NeedClusterCert', `-w with ${CLUSTER_PLACEHOLDER} needs --cert NAME=FILE|URL`, { hint });
  const unnamed = specs.find((s) => !s.cluster);
  if (unnamed) throw usageError('UnnamedCert', `--cert ${unnamed.ref} has no cluster name for ${CLUSTER_PLACEHOLDER}`, { hint: 'write it as --cert NAME=FILE|URL' });
  return specs as Array<Required<CertSpec>>;
}

export function clusterPath(write: string, cluster: string): string {
  return write.split(CLUSTER_PLACEHOLDER).join(cluster);
}
