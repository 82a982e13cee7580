/** Rep counting and per-rep scoring from pose keypoints. Pure TypeScript (no Node, no DOM). */
export * from './signal';
export * from './filter';
export * from './count';
export * from './score';
export * from './cues';
export * from './auto';
export * from './boundaries';
export * from './guess';
export * from './report';
export * from './live';
