/** A small, strict argv parser: `--flag`, `--key value`, `--key=value`, positionals. Unknown flags are errors. */
import { POSE_MODEL_VARIANTS, type PoseModelVariant } from '../../src-shared/keypoints/format';
export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean>;
}

export function parseArgs(argv: string[], known: { booleans: string[]; values: string[] }): ParsedArgs {
  const out: ParsedArgs = { positionals: [], flags: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--')) {
      out.positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (known.booleans.includes(name)) {
      if (eq > 0) throw new CliError(`--${name} takes no value`);
      out.flags[name] = true;
    } else if (known.values.includes(name)) {
      const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined || value.startsWith('--')) throw new CliError(`--${name} needs a value`);
      out.flags[name] = value;
    } else throw new CliError(`Unknown option --${name}`);
  }
  return out;
}

export class CliError extends Error {}

export function numberFlag(
  args: ParsedArgs,
  name: string,
  fallback: number,
  check: (n: number) => boolean,
  what: string,
): number {
  const raw = args.flags[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isFinite(n) || !check(n))
    throw new CliError(`--${name} must be ${what} (got ${String(raw)})`);
  return n;
}

/** `--num-frames`, the frames sampled per clip: a whole number 2–256. */
export function numFramesFlag(args: ParsedArgs, fallback = 24): number {
  return numberFlag(
    args,
    'num-frames',
    fallback,
    (n) => Number.isInteger(n) && n >= 2 && n <= 256,
    'a whole number 2–256',
  );
}

/** `--variant`, the pose model: lite, full or heavy (undefined when not given). */
export function variantFlag(args: ParsedArgs): PoseModelVariant | undefined {
  const v = args.flags.variant;
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !(POSE_MODEL_VARIANTS as readonly string[]).includes(v))
    throw new CliError('--variant is lite, full or heavy');
  return v as PoseModelVariant;
}
