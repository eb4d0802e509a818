export { MetricsRegistry } from './registry.js';
export { createControllerMetrics, type ControllerMetrics } from './controller-metrics.js';
