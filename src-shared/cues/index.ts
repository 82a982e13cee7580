/** Form cues per rep: rule table + learned classifiers, shown sparingly. See README.md in this folder. */
export * from './types';
export * from './measures';
export * from './rules';
export * from './evaluate';
export * from './sparing';
export * from './learned';
export * from './landmark-csv';
export * from './train-learned';
export * from './set-cues';
