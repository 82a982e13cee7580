/** The 14 exercise types of the Python toolkit, in its order (index = class id of the exercise head). */
export const EXERCISE_TYPES = [
  'squat',
  'pushup',
  'pullup',
  'lunge',
  'plank',
  'burpee',
  'jumping_jack',
  'mountain_climber',
  'situp',
  'deadlift',
  'bench_press',
  'dumbbell_curl',
  'overhead_press',
  'other',
] as const;

export type ExerciseType = (typeof EXERCISE_TYPES)[number];

export const EXERCISE_DISPLAY_NAMES: Record<ExerciseType, string> = {
  squat: 'Squat',
  pushup: 'Push-up',
  pullup: 'Pull-up',
  lunge: 'Lunge',
  plank: 'Plank',
  burpee: 'Burpee',
  jumping_jack: 'Jumping jack',
  mountain_climber: 'Mountain climber',
  situp: 'Sit-up',
  deadlift: 'Deadlift',
  bench_press: 'Bench press',
  dumbbell_curl: 'Dumbbell curl',
  overhead_press: 'Overhead press',
  other: 'Other',
};

export function isExerciseType(value: unknown): value is ExerciseType {
  return typeof value === 'string' && (EXERCISE_TYPES as readonly string[]).includes(value);
}

export function exerciseIndex(type: ExerciseType): number {
  return EXERCISE_TYPES.indexOf(type);
}

/**
 * Guess an exercise type from a file or folder name, as the toolkit's label-file generator does.
 * Returns null when nothing matches, so the user decides.
 */
export function guessExerciseType(path: string): ExerciseType | null {
  const s = path.toLowerCase().replace(/[\s-]+/g, '_');
  const rules: Array<[RegExp, ExerciseType]> = [
    [/mountain_?climber/, 'mountain_climber'],
    [/jumping_?jack/, 'jumping_jack'],
    [/bench_?press/, 'bench_press'],
    [/overhead_?press|shoulder_?press|military_?press/, 'overhead_press'],
    [/(dumbbell|bicep|biceps)_?curl|\bcurl/, 'dumbbell_curl'],
    [/dead_?lift/, 'deadlift'],
    [/pull_?ups?|chin_?ups?/, 'pullup'],
    [/push_?ups?|wallpushups/, 'pushup'],
    [/sit_?ups?|crunch/, 'situp'],
    [/burpee/, 'burpee'],
    [/lunge|split_?squat/, 'lunge'],
    [/squat/, 'squat'],
    [/plank/, 'plank'],
  ];
  for (const [re, type] of rules) if (re.test(s)) return type;
  return null;
}
