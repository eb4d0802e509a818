// Seeded fuzz: gjson paths over arbitrary JSON never throw, and simple keys agree with JSON.parse.
import { seededTests } from './run.js';

seededTests(/gjson/);
