// Talking to a Kubernetes cluster from the CLI: kubeconfig, raw API requests, the controller through
// the service proxy. Importing this is cheap; @kubernetes/client-node loads on the first loadKubeConfig().
export { loadKubeConfig, type KubeConfigOptions, type KubeTarget } from './config.js';
export { kubeRequest, type KubeRequest, type KubeResponse } from './request.js';
export { apiError, apiStatus, type ApiStatus } from './api-errors.js';
export {
  findController,
  controllerRequest,
  proxySegment,
  defaultControllerNames,
  defaultControllerNamespace,
  type ControllerEndpoint,
  type ControllerLocation,
  type ProxyRequest,
} from './service-proxy.js';
export {
  fetchCertPem,
  verifySealedSecret,
  rotateSealedSecret,
  listControllerKeys,
  refOf,
  type ControllerKey,
  type SealedSecretJson,
} from './controller-api.js';
export { listKeySecrets, keyLabel, type SecretJson } from './key-secrets.js';
export { rotateControllerKey, retireControllerKey, type WaitOptions } from './key-management.js';
