// The two things the controller uses from @kubernetes/client-node. The build (scripts/bundle-kube-client.mjs)
// replaces this module's output with a tree-shaken bundle of the package's own code: its index loads
// every generated API class and model, about 90 MB of RSS the controller would carry for nothing.
export { KubeConfig, Watch } from '@kubernetes/client-node';
