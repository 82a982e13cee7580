/** Short copies of fixture clips for tests and benches that run pose on several videos: their cost grows with the frames. */
import { execFileSync } from 'node:child_process';
import { findFfmpeg } from '../../src-main/media/ffmpeg';
import { fixture } from './fixtures';

export interface CutOptions {
  /** Seconds into the source (default 0). */
  start?: number;
  seconds: number;
  /** An ffmpeg video filter, e.g. 'scale=-2:360'. */
  vf?: string;
  preset?: 'ultrafast' | 'veryfast';
  /** Frames between keyframes (ffmpeg's default otherwise). */
  gop?: number;
}

/** `seconds` of video `src` from `start`, re-encoded as H.264 without audio to `out`. */
export function cutClip(src: string, out: string, o: CutOptions): void {
  execFileSync(findFfmpeg().ffmpeg, [
    '-v',
    'error',
    '-y',
    ...(o.start ? ['-ss', String(o.start)] : []),
    '-i',
    src,
    '-t',
    String(o.seconds),
    ...(o.vf ? ['-vf', o.vf] : []),
    '-c:v',
    'libx264',
    '-preset',
    o.preset ?? 'ultrafast',
    ...(o.gop ? ['-g', String(o.gop)] : []),
    '-an',
    out,
  ]);
}

/** The first `seconds` s of fixture video `name`, 360 px high, written to `out`. */
export function shortClip(name: string, seconds: number, out: string): void {
  cutClip(fixture('videos', name), out, { seconds, vf: 'scale=-2:360' });
}
