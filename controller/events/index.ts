export { createEventRecorder, EventReason, type EventRecorder } from './recorder.js';
