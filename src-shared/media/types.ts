/** Pure media types shared by the main process, the typed API and the renderer. No Node imports. */

export interface VideoProbe {
  /** Seconds. */
  duration: number;
  /** Average frames per second (avg_frame_rate, else r_frame_rate). */
  fps: number;
  /** Frame count: from the container when known (`frameCountExact`), else round(duration × fps). */
  frameCount: number;
  frameCountExact: boolean;
  /** Coded size of the stream. */
  width: number;
  height: number;
  /** Clockwise rotation to apply for display, one of 0/90/180/270 (display matrix or `rotate` tag). */
  rotation: 0 | 90 | 180 | 270;
  /** Size as displayed (width/height swapped for 90/270). */
  displayWidth: number;
  displayHeight: number;
  /** ffmpeg codec name of the first video stream, e.g. "h264", "mpeg4", "hevc". */
  codec: string;
  /** ffmpeg pixel format, e.g. "yuv420p" ('' when unknown). */
  pixelFormat: string;
  /** Container as ffmpeg names it, e.g. "mov,mp4,m4a,3gp,3g2,mj2", "avi", "matroska,webm". */
  container: string;
  hasAudio: boolean;
  audioCodec: string | null;
  /** File size in bytes. */
  size: number;
  /** Which tool produced this: ffprobe JSON or parsed `ffmpeg -i` text. */
  probedWith: 'ffprobe' | 'ffmpeg';
}

export type FrameFormat = 'jpeg' | 'png' | 'rgba';

export interface PreviewDecision {
  needed: boolean;
  /** Human-readable reason, e.g. "AVI container is not playable in Chromium". */
  reason: string;
}

export type VideoSplit = 'train' | 'test';
