/** A JPEG (base64) of the current video frame with the skeleton overlay, as the user sees it. */
export function captureSnapshot(
  video: HTMLVideoElement | null,
  overlay: HTMLCanvasElement | null,
  mirror: boolean,
): string | null {
  if (!video || !video.videoWidth) return null;
  const c = document.createElement('canvas');
  const scale = Math.min(1, 640 / Math.max(video.videoWidth, video.videoHeight));
  c.width = Math.round(video.videoWidth * scale);
  c.height = Math.round(video.videoHeight * scale);
  const ctx = c.getContext('2d');
  if (!ctx) return null;
  ctx.save();
  if (mirror) {
    ctx.translate(c.width, 0);
    ctx.scale(-1, 1);
  }
  ctx.drawImage(video, 0, 0, c.width, c.height);
  ctx.restore();
  if (overlay && overlay.width) ctx.drawImage(overlay, 0, 0, c.width, c.height);
  return c.toDataURL('image/jpeg', 0.85).split(',')[1] ?? null;
}
