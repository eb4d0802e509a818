// The object shapes Cloak reads and writes (only the fields we use; the rest passes through).

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | null;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  [k: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface SecretObject {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: ObjectMeta;
  type?: string;
  immutable?: boolean;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export interface SealedSecretTemplate {
  metadata?: ObjectMeta | null;
  type?: string;
  immutable?: boolean;
  data?: Record<string, string> | null;
}

export interface SealedSecretObject {
  apiVersion: 'bitnami.com/v1alpha1';
  kind: 'SealedSecret';
  metadata: ObjectMeta;
  spec: {
    encryptedData: Record<string, string>;
    template?: SealedSecretTemplate;
    /** Deprecated v1 format: the whole Secret as one blob. */
    data?: string;
  };
  status?: unknown;
}

export const SEALED_SECRET_API_VERSION = 'bitnami.com/v1alpha1';
/** Our key hint (Bitnami ignores it): the fingerprint of the key that sealed every item. */
export const ANNOTATION_SEALING_KEY = 'cloak.dev/sealing-key';
/** When items were sealed by different keys (e.g. after --merge-into): JSON map item → fingerprint. */
export const ANNOTATION_SEALING_KEYS = 'cloak.dev/sealing-keys';
/**
 * `cloak keys rotate` sets this on an active key Secret (a random id), with the caller's own RBAC on
 * Secrets in the controller namespace; the leader then makes a new key, whose Secret carries the id in
 * ANNOTATION_ROTATE_HANDLED. Asking through the Kubernetes API keeps key management behind RBAC: the
 * controller's HTTP API, reachable by anyone allowed to use the service proxy, cannot change keys.
 */
export const ANNOTATION_ROTATE_REQUEST = 'cloak.dev/rotate-request';
export const ANNOTATION_ROTATE_HANDLED = 'cloak.dev/rotate-request-handled';
