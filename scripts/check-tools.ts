/**
 * First step of `npm test`: the tests need ffmpeg, ffprobe and a Chromium. Each comes from the app's own
 * discovery (env var → a working installed one → the one shipped in node_modules); when one is missing the
 * run stops here, at once, with one line saying what to install.
 */
import { toolReport } from '../src-main/cli/tools';

const r = toolReport();
if (r.missing.length) {
  console.error(`npm test needs: ${r.missing.join(' ')}`);
  process.exit(1);
}
console.log(r.lines.map((l) => `[tools] ${l}`).join('\n'));
