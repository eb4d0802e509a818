// What the server serves: built-in resources plus those of established CRDs.
import type { ResourceDef } from './types.js';
import { builtinResources } from './builtins.js';

export class Registry {
  private readonly builtins = builtinResources();
  private readonly custom = new Map<string, ResourceDef[]>(); // CRD name → defs

  all(): ResourceDef[] { return [...this.builtins, ...[...this.custom.values()].flat()]; }

  find(group: string, version: string, resource: string): ResourceDef | undefined {
    return this.all().find((d) => d.group === group && d.version === version && d.resource === resource);
  }

  byKind(group: string, version: string, kind: string): ResourceDef | undefined {
    return this.all().find((d) => d.group === group && d.version === version && d.kind === kind);
  }

  /** Any served version of a group/kind (used by the GC to find owners). */
  byGroupKind(group: string, kind: string): ResourceDef | undefined {
    return this.all().find((d) => d.group === group && d.kind === kind);
  }

  /** Group → versions, in discovery order (the storage version of a CRD first). */
  groups(): Map<string, string[]> {
    const m = new Map<string, string[]>();
    for (const d of this.all()) {
      const vs = m.get(d.group) ?? [];
      if (!vs.includes(d.version)) (d.crd?.storage ? vs.unshift(d.version) : vs.push(d.version));
      m.set(d.group, vs);
    }
    return m;
  }

  inVersion(group: string, version: string): ResourceDef[] {
    return this.all().filter((d) => d.group === group && d.version === version);
  }

  setCustom(crdName: string, defs: ResourceDef[]): void { this.custom.set(crdName, defs); }
  removeCustom(crdName: string): void { this.custom.delete(crdName); }
  isBuiltin(group: string, resource: string): boolean { return this.builtins.some((d) => d.group === group && d.resource === resource); }
}
