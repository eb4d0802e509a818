export { MetricsRegistry } from './registry.js';
export { createControllerMetrics, type ControllerMetrics } from './controller-metrics.js';
export { createMetricsServer } from './server.js';
