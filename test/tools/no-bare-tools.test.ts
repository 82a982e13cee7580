/**
 * Every ffmpeg / ffprobe / Chromium the app, CLI, tests, bench and e2e start goes through the app's discovery
 * (src-main/media/ffmpeg-find.ts, src-main/chromium/find.ts): no bare name from PATH, no hard-coded
 * /usr/bin path, no raw env var, no Playwright launch without the discovered executable. A bare `ffmpeg`
 * spawned from a test helper is what made `npm test` fail on a machine without system ffmpeg.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const DIRS = ['src-main', 'src-renderer', 'src-shared', 'scripts', 'test', 'e2e', 'bench', 'bin'];
const DISCOVERY = new Set([
  'src-main/media/ffmpeg-find.ts',
  'src-main/chromium/find.ts',
  'src-main/chromium/bundled.ts',
  'test/tools/no-bare-tools.test.ts',
]);

const TOOL = String.raw`(?:ffmpeg|ffprobe|chromium|chromium-browser|google-chrome(?:-stable)?|chrome|msedge|microsoft-edge)(?:\.exe)?`;
/** Calls that may take a tool name as first argument without starting anything. */
const HARMLESS_CALLS =
  /^(?:describe|it|test|expect|includes|startsWith|endsWith|push|has|get|set|join|basename|split|MediaError|Error|CliError|t)$/;

const RULES: Array<{ why: string; re: RegExp; check?: (m: RegExpMatchArray) => boolean }> = [
  {
    why: 'runs a bare tool name (found on PATH, unchecked)',
    re: new RegExp(String.raw`([\w$.]+)\s*\(\s*(['"\x60])${TOOL}(?:\s[^'"\x60]*)?\2`, 'g'),
    check: (m) => !HARMLESS_CALLS.test(m[1].split('.').pop()!),
  },
  {
    why: 'hard-codes a system tool path',
    re: new RegExp(String.raw`['"\x60](?:/usr(?:/local)?/bin/|/snap/bin/|/opt/homebrew/bin/)${TOOL}['"\x60]`, 'g'),
  },
  {
    why: 'hard-codes an installed browser',
    re: /(?:Google Chrome|Chromium|Microsoft Edge)\.app\/|\\chrome\.exe|\\msedge\.exe/g,
  },
  {
    why: 'reads the tool env var itself (skips the -version check)',
    re: /process\.env(?:\.|\[['"])(?:FFMPEG_PATH|FFPROBE_PATH|CHROMIUM_PATH)\b/g,
  },
  {
    why: 'gives Playwright an executablePath that is not the discovered one',
    re: /executablePath\s*:\s*(?:['"`]|process\.env)/g,
  },
  {
    why: 'launches Playwright Chromium without the discovered executable',
    re: /\bchromium\.(?:launch|launchPersistentContext)\(\s*(?:\)|\{\s*\}|\{\s*(?:headless|args|timeout)\b)/g,
  },
];

/** Problems in one file's text, as `file:line why: excerpt`. */
function scan(file: string, text: string): string[] {
  const out: string[] = [];
  for (const rule of RULES) {
    for (const m of text.matchAll(rule.re)) {
      if (rule.check && !rule.check(m)) continue;
      const line = text.slice(0, m.index).split('\n').length;
      out.push(`${file}:${line} ${rule.why}: ${m[0].slice(0, 80)}`);
    }
  }
  return out;
}

function sources(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(path.join(ROOT, dir));
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    const rel = path.posix.join(dir, n);
    if (n === 'node_modules' || n === 'results') return [];
    if (statSync(path.join(ROOT, rel)).isDirectory()) return sources(rel);
    return /\.(?:[cm]?[jt]s|tsx)$/.test(n) ? [rel] : [];
  });
}

describe('no tool is started without discovery', () => {
  it('the scanner catches each way around it (and leaves the discovered way alone)', () => {
    const bad = [
      "await run('ffmpeg', ['-i', x]);",
      "spawn('ffprobe', args)",
      'execFileSync(`chromium`, ["--version"])',
      "exec('ffmpeg -hide_banner -i a.mp4')",
      "const FFMPEG = process.env.FFMPEG_PATH ?? '/usr/bin/ffmpeg';",
      'chromium.launch({ executablePath: process.env.CHROMIUM_PATH })',
      'chromium.launch({ headless: true })',
      'chromium.launch()',
      "const c = ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];",
      "child_process.spawnSync('google-chrome-stable', ['--headless'])",
    ];
    for (const b of bad) expect(scan('x.ts', b), b).not.toEqual([]);
    const good = [
      'await run(findFfmpeg().ffmpeg, args);',
      'chromium.launch(launchOptions())',
      'chromium.launch({ ...launchOptions(), headless: true })',
      "throw new MediaError('ffmpeg_missing', 'ffmpeg was not found')",
      "describe('ffmpeg', () => {})",
      "const { chromium } = await import('playwright-core');",
    ];
    for (const g of good) expect(scan('x.ts', g), g).toEqual([]);
  });

  it('src-main, src-renderer, scripts, test, e2e, bench and the root configs start tools only through discovery', () => {
    const files = [
      ...DIRS.flatMap(sources),
      ...readdirSync(ROOT).filter((n) => /\.config\.[cm]?[jt]s$/.test(n)),
    ].filter((f) => !DISCOVERY.has(f));
    expect(files.length).toBeGreaterThan(100);
    const problems = files.flatMap((f) => scan(f, readFileSync(path.join(ROOT, f), 'utf8')));
    expect(problems).toEqual([]);
  });
});
