export type { Origin, OriginKind, SinkFamily } from './origin.js';
export { isInTouchedSlice, sliceLines } from './slice.js';
