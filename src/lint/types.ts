// The shapes every lint rule shares: a parsed document with positions, the run's context, a finding.
import type { SealingCertificate } from '../crypto/certificate.js';

export type Severity = 'error' | 'warning';

export interface Finding {
  file: string;
  line: number;
  column: number;
  rule: string;
  severity: Severity;
  /** Names objects, keys, fingerprints and sizes; never a value. */
  message: string;
}

export type Path = ReadonlyArray<string | number>;

export interface Position { line: number; column: number }

export interface LintDocument {
  file: string;
  /** The object as plain JS (Helm actions replaced by placeholders). */
  value: Record<string, unknown>;
  /** Position of the key (or value) at `path`, else of its nearest existing parent. */
  at(path: Path): Position;
  /** True when the string came from a Helm `{{ }}` action: its value is not in the file. */
  templated(v: unknown): boolean;
  /** From a file with Helm actions: what is missing may be supplied at render time. */
  helm: boolean;
  /** The file's base name (e.g. kustomization.yaml). */
  baseName: string;
}

export interface KnownKey {
  cert: SealingCertificate;
  /** Where --cert named it (for messages). */
  source: string;
}

export interface LintContext {
  /** --cert FILE…, by fingerprint; empty when none were given. */
  keys: Map<string, KnownKey>;
  /** --max-key-age in ms. */
  maxKeyAgeMs?: number;
  maxKeyAgeText?: string;
  now: Date;
  /** openAPIV3Schema by `group/version` + kind, loaded once from crds/. */
  schemaFor(apiVersion: string, kind: string): Record<string, unknown> | undefined | 'unknown-version';
}

export interface RuleInfo {
  id: string;
  severity: Severity;
  description: string;
}

export interface Rule extends RuleInfo {
  check(doc: LintDocument, ctx: LintContext): Array<Omit<Finding, 'file' | 'rule' | 'severity'>>;
}
