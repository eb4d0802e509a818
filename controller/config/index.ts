export { loadConfig, parseKeyValues, parseListenAddr, type Config, type LoadConfigInput } from './config.js';
export { helpText, FLAGS } from './flags.js';
export { parseDuration, formatDuration } from './duration.js';
