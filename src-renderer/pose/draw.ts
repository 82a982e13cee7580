/**
 * Drawing a pose skeleton (POSE_CONNECTIONS) on a 2D canvas. Landmarks are image-normalized, so the
 * caller passes the drawn image's rectangle on the canvas (default: the whole canvas).
 */
import { POSE_CONNECTIONS, type FrameLandmarks } from '../../src-shared/keypoints/format.js';

export interface DrawPoseOptions {
  /** Where the image the landmarks refer to is drawn on the canvas. Default: the whole canvas. */
  rect?: { x: number; y: number; width: number; height: number };
  /** Flip horizontally (selfie / webcam view). */
  mirror?: boolean;
  color?: string;
  jointColor?: string;
  lineWidth?: number;
  jointRadius?: number;
  /** Landmarks below this visibility are not drawn. Default 0.2. */
  minVisibility?: number;
  /** Alpha of a fully visible element; alpha scales linearly with visibility. Default 1. */
  maxAlpha?: number;
}

type Ctx = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/** Alpha for a visibility value: 0 below minVisibility, then linear up to maxAlpha at visibility 1. */
export function visibilityAlpha(visibility: number, minVisibility = 0.2, maxAlpha = 1): number {
  if (!(visibility >= minVisibility)) return 0;
  const v = Math.min(1, visibility);
  return minVisibility >= 1 ? maxAlpha : maxAlpha * (0.25 + (0.75 * (v - minVisibility)) / (1 - minVisibility));
}

export function drawPose(ctx: Ctx, landmarks: FrameLandmarks, opts: DrawPoseOptions = {}): void {
  if (!landmarks || landmarks.length === 0) return;
  const r = opts.rect ?? { x: 0, y: 0, width: ctx.canvas.width, height: ctx.canvas.height };
  const minVis = opts.minVisibility ?? 0.2;
  const maxAlpha = opts.maxAlpha ?? 1;
  const px = (x: number) => r.x + (opts.mirror ? 1 - x : x) * r.width;
  const py = (y: number) => r.y + y * r.height;
  const scale = Math.max(1, Math.min(r.width, r.height) / 360);

  ctx.save();
  ctx.lineCap = 'round';
  ctx.lineWidth = (opts.lineWidth ?? 3) * scale;
  ctx.strokeStyle = opts.color ?? '#22d3ee';
  for (const [a, b] of POSE_CONNECTIONS) {
    const p = landmarks[a],
      q = landmarks[b];
    if (!p || !q) continue;
    const alpha = visibilityAlpha(Math.min(p.visibility, q.visibility), minVis, maxAlpha);
    if (alpha <= 0) continue;
    ctx.globalAlpha = alpha;
    ctx.beginPath();
    ctx.moveTo(px(p.x), py(p.y));
    ctx.lineTo(px(q.x), py(q.y));
    ctx.stroke();
  }
  ctx.fillStyle = opts.jointColor ?? '#f8fafc';
  const radius = (opts.jointRadius ?? 3.5) * scale;
  for (const p of landmarks) {
    const alpha = visibilityAlpha(p.visibility, minVis, maxAlpha);
    if (alpha <= 0) continue;
    ctx.globalAlpha = alpha;
    ctx.beginPath();
    ctx.arc(px(p.x), py(p.y), radius, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.restore();
}
