/** Short copies of fixture clips for tests that run pose on several videos: their cost grows with the frames. */
import { execFileSync } from 'node:child_process';
import { findFfmpeg } from '../../src-main/media/ffmpeg';
import { fixture } from './fixtures';

/** The first `seconds` s of fixture video `name`, 360 px high, H.264, no audio, written to `out`. */
export function shortClip(name: string, seconds: number, out: string): void {
  execFileSync(findFfmpeg().ffmpeg, [
    '-v',
    'error',
    '-y',
    '-i',
    fixture('videos', name),
    '-t',
    String(seconds),
    '-vf',
    'scale=-2:360',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-an',
    out,
  ]);
}
