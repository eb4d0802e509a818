// Writes Cloak's CustomResourceDefinitions for the external-secrets.io kinds (SecretStore,
// ClusterSecretStore, ExternalSecret, ClusterExternalSecret) to crds/ and the two deploy copies.
// One schema per kind, served as v1 (storage) and v1beta1 (same schema, conversion None).
// Provider blocks Cloak implements are typed; every other provider is kept as opaque objects.
// No schema defaults: the controller applies ESO's defaults (see DESIGN.md, ESO notes §0.6). A field
// ESO requires but also defaults (Vault auth mount paths) is optional here, so manifests that omit it apply.
// Run: npx node scripts/gen-eso-crds.mjs
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = ['crds', 'deploy/kustomize/base/crds', 'deploy/helm/cloak/crds'];

const str = (description, extra = {}) => ({ description, type: 'string', ...extra });
const oneOf = (description, values) => str(description, { enum: values });
const bool = (description) => ({ description, type: 'boolean' });
const int = (description, format = 'int64') => ({ description, type: 'integer', format });
const obj = (description, properties, required) => ({ description, type: 'object', properties, ...(required ? { required } : {}) });
const arr = (description, items) => ({ description, type: 'array', items });
const strMap = (description) => ({ description, type: 'object', additionalProperties: { type: 'string' } });
const opaque = (description) => ({ description, type: 'object', 'x-kubernetes-preserve-unknown-fields': true });

const keyRef = (d) => obj(d, { name: str('Secret name.'), key: str('Key inside the Secret.'), namespace: str('Secret namespace (ClusterSecretStore only).') });
const saRef = (d) => obj(d, { name: str('ServiceAccount name.'), namespace: str('ServiceAccount namespace (ClusterSecretStore only).'), audiences: arr('Token audiences.', str('An audience.')) }, ['name']);
const caProvider = () => obj('Where to read the CA bundle from.', { type: oneOf('Source kind.', ['Secret', 'ConfigMap']), name: str('Object name.'), key: str('Key inside the object.'), namespace: str('Object namespace (ClusterSecretStore only).') }, ['name', 'type']);
const caBundle = () => str('PEM CA certificates, base64-encoded.', { format: 'byte' });
const awsKeys = () => obj('Static AWS credentials from Secrets.', { accessKeyIDSecretRef: keyRef('Access key id.'), secretAccessKeySecretRef: keyRef('Secret access key.'), sessionTokenSecretRef: keyRef('Session token.') });
const labelSelector = (d) => obj(d, {
  matchLabels: strMap('Labels that must all match.'),
  matchExpressions: arr('Set-based requirements.', obj('A requirement.', { key: str('Label key.'), operator: str('In, NotIn, Exists or DoesNotExist.'), values: arr('Values.', str('A value.')) }, ['key', 'operator'])),
});

const vault = obj('HashiCorp Vault (KV v1/v2).', {
  server: str('Vault address, e.g. https://vault.example:8200.'),
  path: str('KV mount path.'),
  version: oneOf('KV engine version (v2 when unset).', ['v1', 'v2']),
  namespace: str('Vault Enterprise namespace.'),
  caBundle: caBundle(),
  caProvider: caProvider(),
  tls: obj('Client certificate for mutual TLS.', { certSecretRef: keyRef('Client certificate.'), keySecretRef: keyRef('Client key.') }),
  readYourWrites: bool('Send X-Vault-Index for read-after-write consistency.'),
  forwardInconsistent: bool('Ask standbys to forward inconsistent reads.'),
  headers: strMap('Extra HTTP headers.'),
  checkAndSet: obj('Check-and-set for writes.', { required: bool('Require CAS on writes.') }),
  auth: obj('How to log in to Vault.', {
    namespace: str('Namespace used for the login only.'),
    tokenSecretRef: keyRef('A static token.'),
    appRole: obj('AppRole login.', { path: str('Mount path (approle).'), roleId: str('Role id.'), roleRef: keyRef('Role id from a Secret.'), secretRef: keyRef('Secret id.') }, ['secretRef']),
    kubernetes: obj('Kubernetes auth method.', { mountPath: str('Mount path (kubernetes).'), role: str('Vault role.'), serviceAccountRef: saRef('ServiceAccount whose token is presented.'), secretRef: keyRef('A token read from a Secret.') }, ['role']),
    jwt: obj('JWT/OIDC login.', {
      path: str('Mount path (jwt).'), role: str('Vault role.'), secretRef: keyRef('A JWT read from a Secret.'),
      kubernetesServiceAccountToken: obj('Request a ServiceAccount token.', { serviceAccountRef: saRef('The ServiceAccount.'), audiences: arr('Token audiences.', str('An audience.')), expirationSeconds: int('Token lifetime.') }, ['serviceAccountRef']),
    }),
    ldap: obj('LDAP login.', { path: str('Mount path (ldap).'), username: str('User name.'), secretRef: keyRef('Password.') }, ['username']),
    userPass: obj('Userpass login.', { path: str('Mount path (userpass).'), username: str('User name.'), secretRef: keyRef('Password.') }, ['username']),
    cert: obj('TLS certificate login.', { path: str('Mount path (cert).'), vaultRole: str('Vault role.'), clientCert: keyRef('Client certificate.'), secretRef: keyRef('Client key.') }),
    iam: obj('AWS IAM login.', {
      path: str('Mount path.'), region: str('AWS region.'), role: str('IAM role to assume.'), vaultRole: str('Vault role.'), externalID: str('External id for AssumeRole.'), vaultAwsIamServerID: str('X-Vault-AWS-IAM-Server-ID header.'),
      secretRef: awsKeys(), jwt: obj('Web identity from a ServiceAccount token.', { serviceAccountRef: saRef('The ServiceAccount.') }),
    }, ['vaultRole']),
    gcp: opaque('GCP login (not implemented by Cloak; accepted as given).'),
  }),
}, ['server']);

const aws = obj('AWS Secrets Manager or Parameter Store.', {
  service: oneOf('Which AWS service.', ['SecretsManager', 'ParameterStore', 'CertificateManager']),
  region: str('AWS region.'),
  role: str('IAM role to assume.'),
  additionalRoles: arr('Roles assumed in order before role.', str('A role ARN.')),
  externalID: str('External id for AssumeRole.'),
  sessionTags: arr('Session tags for AssumeRole.', obj('A tag.', { key: str('Tag key.'), value: str('Tag value.') }, ['key', 'value'])),
  sessionTagsPolicy: oneOf('How session tags are built.', ['None', 'Simple', 'Custom']),
  customSessionTags: strMap('Session tags (Custom policy).'),
  transitiveTagKeys: arr('Transitive session tag keys.', str('A tag key.')),
  prefix: str('Prefix added to every remote key.'),
  secretsManager: obj('Secrets Manager write options.', { forceDeleteWithoutRecovery: bool('Delete without a recovery window.'), recoveryWindowInDays: int('Recovery window.') }),
  auth: obj('Credentials (the default chain when unset).', { secretRef: awsKeys(), jwt: obj('Web identity from a ServiceAccount token.', { serviceAccountRef: saRef('The ServiceAccount.') }) }),
}, ['region', 'service']);

const fake = obj('Static in-memory data, for tests and demos.', {
  data: arr('The entries.', obj('An entry.', { key: str('Remote key.'), value: str('Value.'), version: str('Version.') }, ['key', 'value'])),
  validationResult: int('Forced validation result.', 'int32'),
}, ['data']);

const kubernetes = obj('Secrets of a (possibly remote) Kubernetes cluster.', {
  remoteNamespace: str('Namespace to read from (default when unset).'),
  server: obj('The API server.', { url: str('API server URL (kubernetes.default when unset).'), caBundle: caBundle(), caProvider: caProvider() }),
  auth: obj('How to authenticate.', {
    serviceAccount: saRef('Use a token of this ServiceAccount.'),
    token: obj('A bearer token from a Secret.', { bearerToken: keyRef('The token.') }, ['bearerToken']),
    cert: obj('A client certificate.', { clientCert: keyRef('Certificate.'), clientKey: keyRef('Key.') }, ['clientCert', 'clientKey']),
  }),
  authRef: keyRef('A kubeconfig from a Secret.'),
});

const webhook = obj('A generic HTTP endpoint.', {
  url: str('URL template.'),
  method: str('HTTP method (GET when unset).'),
  headers: strMap('Header templates.'),
  body: str('Body template.'),
  timeout: str('Request timeout (a Go duration).'),
  result: obj('How to read the response.', { jsonPath: str('JSONPath into the response.') }),
  secrets: arr('Secrets available to the templates.', obj('A named Secret.', { name: str('Name used in templates.'), secretRef: keyRef('The Secret.') }, ['name', 'secretRef'])),
  caBundle: caBundle(),
  caProvider: caProvider(),
  auth: obj('Authentication.', { ntlm: obj('NTLM.', { usernameSecret: keyRef('User name.'), passwordSecret: keyRef('Password.') }, ['passwordSecret', 'usernameSecret']) }),
}, ['url']);

const OTHER_PROVIDERS = ['akeyless', 'azurekv', 'barbican', 'beyondtrust', 'beyondtrustworkloadcredentials', 'bitwardensecretsmanager', 'chef', 'cloudrusm', 'conjur', 'crd', 'delinea', 'doppler', 'dvls', 'fortanix', 'gcpsm', 'github', 'gitlab', 'ibm', 'infisical', 'keepersecurity', 'nebiusmysterybox', 'ngrok', 'onboardbase', 'onepassword', 'onepasswordSDK', 'openBao', 'oracle', 'ovh', 'passbolt', 'passworddepot', 'previder', 'pulumi', 'scaleway', 'secretserver', 'senhasegura', 'volcengine', 'yandexcertificatemanager', 'yandexlockbox'];
const others = Object.fromEntries(OTHER_PROVIDERS.map((p) => [p, opaque(`The ${p} provider (not implemented by Cloak; accepted as given).`)]));

const condition = obj('A condition.', { type: str('Condition type.'), status: str('True, False or Unknown.'), reason: str('Machine-readable reason.'), message: str('Human-readable detail.'), lastTransitionTime: str('When status last changed.', { format: 'date-time' }) }, ['status', 'type']);

const storeSpec = obj('The store: one provider plus who may use it.', {
  controller: str('Only the controller with this class reconciles the store.'),
  provider: obj('Exactly one provider.', { vault, aws, fake, kubernetes, webhook, ...others }),
  refreshInterval: { description: 'How often the store is re-validated: seconds, or a Go duration.', 'x-kubernetes-int-or-string': true },
  retrySettings: obj('Provider call retries.', { maxRetries: int('Attempts.', 'int32'), retryInterval: str('Pause between attempts (a Go duration).') }),
  conditions: arr('ClusterSecretStore: namespaces allowed to use it (any entry matching suffices).', obj('A namespace rule.', {
    namespaceSelector: labelSelector('Namespaces by label.'),
    namespaces: arr('Namespaces by name.', str('A name.')),
    namespaceRegexes: arr('Namespaces by regular expression.', str('A regular expression.')),
  })),
}, ['provider']);
const storeStatus = obj('Observed state of the store.', { conditions: arr('Conditions (Ready).', condition), capabilities: str('ReadOnly, WriteOnly or ReadWrite.') });

const remoteRefFields = {
  key: str('Remote key.'), property: str('Property inside the value (a gjson path).'), version: str('Remote version.'),
  conversionStrategy: oneOf('Key conversion (Default when unset).', ['Default', 'Unicode']),
  decodingStrategy: oneOf('Value decoding (None when unset).', ['Auto', 'Base64', 'Base64URL', 'None']),
  metadataPolicy: oneOf('Read the value or its metadata (None when unset).', ['None', 'Fetch']),
  nullBytePolicy: oneOf('What to do with NUL bytes.', ['Ignore', 'Fail']),
};
const storeRef = obj('A store by kind and name.', { name: str('Store name.'), kind: oneOf('Store kind (SecretStore when unset).', ['SecretStore', 'ClusterSecretStore']) });
const sourceRef = obj('Read from another store or a generator instead.', {
  storeRef,
  generatorRef: obj('A generator (not implemented by Cloak; accepted as given).', { apiVersion: str('Generator API version.'), kind: str('Generator kind.'), name: str('Generator name.') }, ['kind', 'name']),
});
const itemsFrom = (d) => obj(d, { name: str('Object name.'), items: arr('Keys to use.', obj('A key.', { key: str('Key.'), templateAs: oneOf('Use as Values or KeysAndValues.', ['Values', 'KeysAndValues']) }, ['key'])) }, ['items', 'name']);

const esSpec = obj('What to fetch and the Secret to write.', {
  secretStoreRef: storeRef,
  refreshInterval: str('Refresh period (a Go duration; 1h when unset, 0 disables).'),
  refreshPolicy: oneOf('When to refresh.', ['CreatedOnce', 'Periodic', 'OnChange']),
  target: obj('The Secret written.', {
    name: str('Secret name (the ExternalSecret name when unset).'),
    creationPolicy: oneOf('Who owns the Secret.', ['Owner', 'Orphan', 'Merge', 'None', 'CreateOrMerge']),
    deletionPolicy: oneOf('What happens when provider data goes away.', ['Delete', 'Merge', 'Retain']),
    immutable: bool('Write an immutable Secret.'),
    manifest: obj('A resource other than a Secret (not implemented by Cloak; accepted as given).', { apiVersion: str('API version.', { minLength: 1 }), kind: str('Kind.', { minLength: 1 }) }, ['apiVersion', 'kind']),
    template: obj('Shape the Secret with Go templates.', {
      type: str('Secret type.'),
      engineVersion: oneOf('Template engine.', ['v2']),
      mergePolicy: oneOf('Replace or merge with fetched data.', ['Replace', 'Merge']),
      metadata: obj('Labels, annotations and finalizers of the Secret.', { labels: strMap('Labels.'), annotations: strMap('Annotations.'), finalizers: arr('Finalizers.', str('A finalizer.')) }),
      data: strMap('Key to template.'),
      templateFrom: arr('Templates from ConfigMaps, Secrets or literals.', obj('A template source.', {
        configMap: itemsFrom('Templates in a ConfigMap.'), secret: itemsFrom('Templates in a Secret.'), literal: str('An inline template.'),
        target: str('Data, Annotations or Labels (Data when unset).'),
        valuesDecodingStrategy: oneOf('Decoding of template values.', ['Auto', 'Base64', 'Base64URL', 'None']),
      })),
    }),
  }),
  data: arr('Single remote values, one Secret key each.', obj('A value.', { secretKey: str('Key in the Secret.'), remoteRef: obj('The remote value.', remoteRefFields, ['key']), sourceRef }, ['remoteRef', 'secretKey'])),
  dataFrom: arr('Many keys at once.', obj('A source.', {
    extract: obj('All properties of one remote value.', remoteRefFields, ['key']),
    find: obj('Every remote value matching.', {
      path: str('Path prefix.'), name: obj('Name filter.', { regexp: str('Regular expression.') }), tags: strMap('Tags that must all match.'),
      conversionStrategy: remoteRefFields.conversionStrategy, decodingStrategy: remoteRefFields.decodingStrategy, nullBytePolicy: remoteRefFields.nullBytePolicy,
    }),
    rewrite: arr('Key rewrites, in order.', obj('A rewrite.', {
      regexp: obj('Regular-expression replace on keys.', { source: str('Pattern.'), target: str('Replacement ($1 etc.).') }, ['source', 'target']),
      transform: obj('A Go template over the key.', { template: str('Template (.value is the key).') }, ['template']),
      merge: opaque('Merge rewrite (not implemented by Cloak; accepted as given).'),
    })),
    sourceRef,
  })),
  syncWindows: opaque('Sync windows (not implemented by Cloak; accepted as given).'),
});
const esStatus = obj('Observed state.', {
  conditions: arr('Conditions (Ready, Deleted).', condition),
  refreshTime: str('Last successful sync.', { format: 'date-time' }),
  syncedResourceVersion: str('Generation and resourceVersion last synced.'),
  binding: obj('The Secret written.', { name: str('Secret name.') }),
});

const cesSpec = obj('An ExternalSecret to create in many namespaces.', {
  externalSecretSpec: esSpec,
  externalSecretName: str('Name of the created ExternalSecrets (this object name when unset).'),
  externalSecretMetadata: obj('Labels and annotations of the created ExternalSecrets.', { labels: strMap('Labels.'), annotations: strMap('Annotations.') }),
  namespaceSelector: labelSelector('Namespaces by label (deprecated; use namespaceSelectors).'),
  namespaceSelectors: arr('Namespaces by label; any selector matching suffices.', labelSelector('A selector.')),
  namespaces: arr('Namespaces by name.', str('A name.')),
  refreshTime: str('How often namespaces are re-evaluated (a Go duration).'),
}, ['externalSecretSpec']);
const cesStatus = obj('Observed state.', {
  conditions: arr('Conditions (Ready).', obj('A condition.', { type: str('Condition type.'), status: str('True, False or Unknown.'), message: str('Detail.') }, ['status', 'type'])),
  externalSecretName: str('Name of the created ExternalSecrets.'),
  provisionedNamespaces: arr('Namespaces with an ExternalSecret.', str('A namespace.')),
  failedNamespaces: arr('Namespaces that failed.', obj('A failure.', { namespace: str('Namespace.'), reason: str('Why.') }, ['namespace'])),
});

const col = (name, type, jsonPath) => ({ name, type, jsonPath });
const AGE = col('AGE', 'date', '.metadata.creationTimestamp');
const READY_REASON = col('Status', 'string', '.status.conditions[?(@.type=="Ready")].reason');
const READY = col('Ready', 'string', '.status.conditions[?(@.type=="Ready")].status');
const storeColumns = [AGE, READY_REASON, col('Capabilities', 'string', '.status.capabilities'), READY];
const esColumns = [col('StoreType', 'string', '.spec.secretStoreRef.kind'), col('Store', 'string', '.spec.secretStoreRef.name'), col('Refresh Interval', 'string', '.spec.refreshInterval'), READY_REASON, READY, col('Last Sync', 'date', '.status.refreshTime')];
const cesColumns = [col('Store', 'string', '.spec.externalSecretSpec.secretStoreRef.name'), col('Refresh Interval', 'string', '.spec.refreshTime'), READY];

function crd({ kind, plural, shortName, scope, spec, status, columns, what }) {
  const schema = { openAPIV3Schema: obj(what, { apiVersion: str('API version of this object.'), kind: str('Kind of this object.'), metadata: { type: 'object' }, spec, status }) };
  const version = (name, storage) => ({ name, served: true, storage, additionalPrinterColumns: columns, schema, subresources: { status: {} } });
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.external-secrets.io`, labels: { 'app.kubernetes.io/part-of': 'cloak' } },
    spec: {
      group: 'external-secrets.io',
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase(), shortNames: [shortName], categories: ['external-secrets'] },
      scope,
      conversion: { strategy: 'None' },
      versions: [version('v1', true), version('v1beta1', false)],
    },
  };
}

const defs = [
  crd({ kind: 'SecretStore', plural: 'secretstores', shortName: 'ss', scope: 'Namespaced', spec: storeSpec, status: storeStatus, columns: storeColumns, what: 'A provider and its credentials, usable by ExternalSecrets of its namespace.' }),
  crd({ kind: 'ClusterSecretStore', plural: 'clustersecretstores', shortName: 'css', scope: 'Cluster', spec: storeSpec, status: storeStatus, columns: storeColumns, what: 'A provider and its credentials, usable by ExternalSecrets of the namespaces its conditions allow.' }),
  crd({ kind: 'ExternalSecret', plural: 'externalsecrets', shortName: 'es', scope: 'Namespaced', spec: esSpec, status: esStatus, columns: esColumns, what: 'Values fetched from a store, written to a Secret and kept in sync.' }),
  crd({ kind: 'ClusterExternalSecret', plural: 'clusterexternalsecrets', shortName: 'ces', scope: 'Cluster', spec: cesSpec, status: cesStatus, columns: cesColumns, what: 'An ExternalSecret template fanned out to selected namespaces.' }),
];

const HEADER = '# Generated by scripts/gen-eso-crds.mjs (Cloak\'s own schema for the ESO API); edit the script, not this file.\n';
for (const d of defs) {
  const text = HEADER + stringify(d, { aliasDuplicateObjects: false, lineWidth: 0 });
  for (const dir of OUT) writeFileSync(join(ROOT, dir, `external-secrets.io_${d.spec.names.plural}.yaml`), text);
}
