/**
 * `form-studio cues settings|set|models`: the project's cue settings and learned cue models from the command line.
 * Every change goes through the `cues.setSettings` call, so it is checked by the same schema as the app's panel
 * (unknown ids, non-numbers refused, the saved file left as it was).
 *
 *   form-studio cues settings                              the saved settings (JSON)
 *   form-studio cues set squat --off | --on                all of an exercise's cues (rules and learned)
 *   form-studio cues set squat depth --off | --on          one cue ('depth' or 'squat.depth'; 'learned' = the unnamed
 *                                                          learned model, 'learned@hips' the one named hips)
 *   form-studio cues set squat depth --threshold 0.2       a rule's threshold (in the unit `cues rules` shows)
 *   form-studio cues set squat depth --reset               back to the table's threshold
 *   form-studio cues models                                the project's learned cue models with their accuracy
 */
import { CliError, type ParsedArgs } from '../cli/args';
import type { Services } from '../services';
import { ApiError } from '../../src-shared/api/errors';
import { isExerciseType, type ExerciseType } from '../../src-shared/domain/exercises';
import { CUE_RULES, MEASURES } from '../../src-shared/cues';
import { LEARNED_MODEL_NAME, learnedModelId } from '../../src-shared/cues/learned';
import type { CueSettings } from '../../src-shared/cues/types';

export const CUES_SETTINGS_USAGE = `  form-studio cues settings [--home H]               The project's cue settings
  form-studio cues set <exercise> [<cue>] --off|--on|--threshold X|--reset [--home H]
        <cue>: a rule id ('depth' or 'squat.depth'), 'learned' (the exercise's unnamed learned model) or
        'learned@<name>' (a named one, see cues models); none = every cue
  form-studio cues models [--home H]                 The project's learned cue models`;

/**
 * 'depth' / 'squat.depth' / 'learned' / 'learned@hips' / 'learned.squat.X' → the full id, checked against the
 * exercise's cues.
 */
export function resolveCueId(exercise: ExerciseType, raw: string): string {
  if (raw === 'learned') return learnedModelId(exercise);
  if (raw.startsWith('learned@')) {
    const name = raw.slice('learned@'.length);
    if (!LEARNED_MODEL_NAME.test(name)) throw new CliError(`'${name}' is not a learned model name (see cues models)`);
    return learnedModelId(exercise, name);
  }
  // full ids: a named model's switch ('learned.plank@hips') or one learned cue ('learned.plank.H')
  if (/^[@.]./.test(raw.slice(`learned.${exercise}`.length)) && raw.startsWith(`learned.${exercise}`)) return raw;
  const ids = CUE_RULES.filter((r) => r.exercise === exercise).map((r) => r.id);
  const id = raw.includes('.') ? raw : `${exercise}.${raw}`;
  if (ids.includes(id)) return id;
  throw new CliError(
    `No cue '${raw}' for ${exercise}. Its cues: ${[...ids, 'learned'].join(', ')} (see form-studio cues rules --exercise ${exercise})`,
  );
}

/** The settings after one `cues set` (pure: validated afterwards by the cues.setSettings schema). */
export function applyCueChange(
  s: CueSettings,
  exercise: ExerciseType,
  id: string | null,
  change: { off?: boolean; on?: boolean; threshold?: number; reset?: boolean },
): CueSettings {
  const next: CueSettings = {
    ...s,
    offExercises: [...(s.offExercises ?? [])],
    disabled: [...(s.disabled ?? [])],
    thresholds: { ...(s.thresholds ?? {}) },
  };
  if (id === null) {
    if (change.threshold !== undefined || change.reset)
      throw new CliError('--threshold and --reset need a cue: form-studio cues set <exercise> <cue> --threshold X');
    next.offExercises = change.off
      ? [...new Set([...next.offExercises!, exercise])]
      : next.offExercises!.filter((e) => e !== exercise);
    return next;
  }
  if (change.off) next.disabled = [...new Set([...next.disabled!, id])];
  if (change.on) {
    next.disabled = next.disabled!.filter((d) => d !== id);
    next.offExercises = next.offExercises!.filter((e) => e !== exercise); // "on" means it is heard again
  }
  if (change.threshold !== undefined || change.reset) {
    if (!CUE_RULES.some((r) => r.id === id)) throw new CliError(`${id} has no threshold (only rule cues do)`);
    if (change.reset) delete next.thresholds![id];
    else next.thresholds![id] = change.threshold!;
  }
  return next;
}

function problemsOf(e: unknown): never {
  if (e instanceof ApiError)
    throw new CliError(`Cue settings not changed: ${e.issues?.map((i) => i.message).join('; ') || e.message}`);
  throw e;
}

export async function cueSettingsCommand(
  sub: 'settings' | 'set' | 'models',
  args: ParsedArgs,
  s: Services,
  log: (line: string) => void,
): Promise<number> {
  if (sub === 'settings') {
    const { settings } = await s.invoke('cues.getSettings', {}).catch(problemsOf);
    log(JSON.stringify(settings, null, 2));
    return 0;
  }
  if (sub === 'models') {
    const { models } = await s.invoke('cues.listLearned', {}).catch(problemsOf);
    if (!models.length) log('No learned cue models (train one: form-studio cues train <file.csv> … --save)');
    for (const m of models)
      log(
        `${m.exercise}${m.name ? `@${m.name}` : ''}: ${m.labels.map((l, i) => `${l}${m.cueText[i] ? `="${m.cueText[i]}"` : ''}`).join(', ')} — held-out accuracy ${(m.metrics.accuracy * 100).toFixed(1)} % on ${m.metrics.testRows} rows; from ${m.sourceName}, ${m.trainedAt}`,
      );
    return 0;
  }
  const [exercise, raw, ...extra] = args.positionals;
  if (!exercise) throw new CliError(`Usage:\n${CUES_SETTINGS_USAGE}`);
  if (!isExerciseType(exercise)) throw new CliError(`Unknown exercise "${exercise}"`);
  if (extra.length) throw new CliError(`Unexpected arguments: ${extra.join(' ')}`);
  const f = args.flags;
  const threshold = f.threshold === undefined ? undefined : Number(f.threshold);
  if (f.threshold !== undefined && (f.threshold === true || !Number.isFinite(threshold)))
    throw new CliError(`--threshold: expected a number, got "${String(f.threshold)}"`);
  const chosen = [f.off, f.on, f.threshold !== undefined, f.reset].filter(Boolean).length;
  if (chosen !== 1) throw new CliError('Give exactly one of --off, --on, --threshold X, --reset');
  const id = raw ? resolveCueId(exercise, raw) : null;
  const { settings } = await s.invoke('cues.getSettings', {}).catch(problemsOf);
  const next = applyCueChange(settings, exercise, id, {
    off: !!f.off,
    on: !!f.on,
    threshold,
    reset: !!f.reset,
  });
  const saved = await s.invoke('cues.setSettings', { settings: next }).catch(problemsOf);
  const rule = CUE_RULES.find((r) => r.id === id);
  const what = !id
    ? `All ${exercise} cues ${f.off ? 'off' : 'on'}`
    : threshold !== undefined || f.reset
      ? `${id}: fires when ${rule!.when} ${saved.settings.thresholds?.[id] ?? rule!.threshold} ${MEASURES[rule!.measure].unit}${f.reset ? ' (the table default)' : ''}`
      : `${id} ${f.off ? 'off' : 'on'}`;
  log(`${what}. Saved in the project's cue settings.`);
  return 0;
}
