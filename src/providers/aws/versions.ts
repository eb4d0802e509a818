// ESO's `version` for Secrets Manager: a staging label (default AWSCURRENT) unless it starts with
// `uuid/`, in which case the rest is a VersionId.
export type VersionSelector = { VersionStage: string } | { VersionId: string };

export const DEFAULT_STAGE = 'AWSCURRENT';

export function versionSelector(version: string | undefined): VersionSelector {
  if (version === undefined || version === '') return { VersionStage: DEFAULT_STAGE };
  if (version.startsWith('uuid/')) return { VersionId: version.slice('uuid/'.length) };
  return { VersionStage: version };
}

/** How a version appears in messages and cache keys. */
export function describeVersion(version: string | undefined): string {
  const v = versionSelector(version);
  return 'VersionId' in v ? `version id "${v.VersionId}"` : `version stage "${v.VersionStage}"`;
}
