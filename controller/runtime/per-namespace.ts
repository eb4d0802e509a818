// Informers and indexes are kept per watched namespace, '' meaning all of them (--namespace unset).
/** The one serving `namespace`: the cluster-wide entry when there is one, else that namespace's. */
export const forNamespace = <T>(m: ReadonlyMap<string, T>, namespace: string): T | undefined => m.get('') ?? m.get(namespace);
