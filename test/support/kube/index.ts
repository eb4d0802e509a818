export { startKubeApiServer, readManifests } from './server.js';
export type { KubeApiServerOptions, KubeTestServer, KubeTestHooks } from './server.js';
export type { Injection, RecordedRequest } from './hooks.js';
export type { KubeconfigOptions } from './kubeconfig.js';
export type { KObject } from './types.js';
export { Kubectl, kubectlPath, eventually } from './kubectl.js';
export { client } from './raw-client.js';
export type { Reply } from './raw-client.js';
