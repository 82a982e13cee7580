/** Terminal formatting of download / job progress for the CLI (`form-studio datasets download …`). */
import type { DownloadProgress } from './download.js';

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '?';
  const u = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < u.length - 1) {
    n /= 1000;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : n < 10 ? 2 : 1)} ${u[i]}`;
}

export function formatDuration(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec) || sec < 0) return '--';
  const s = Math.round(sec);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function bar(fraction: number, width = 24): string {
  const f = Math.max(0, Math.min(1, fraction));
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}]`;
}

/** One line, e.g. "UCF101.rar  [######..........]  37%  2.41 GB / 6.50 GB  11.2 MB/s  ETA 6m05s". */
export function formatDownloadProgress(p: DownloadProgress): string {
  const frac = p.total ? p.bytes / p.total : 0;
  const pct = p.total ? `${Math.floor(frac * 100)}%`.padStart(4) : '  ?%';
  const sizes = `${formatBytes(p.bytes)} / ${p.total ? formatBytes(p.total) : '?'}`;
  switch (p.phase) {
    case 'connecting':
      return `${p.file}  connecting${p.resumedFrom ? ` (resuming at ${formatBytes(p.resumedFrom)})` : ''}${p.attempt > 1 ? `, attempt ${p.attempt}` : ''}…`;
    case 'verifying':
      return `${p.file}  verifying ${bar(frac)} ${pct}`;
    case 'done':
      return `${p.file}  done, ${formatBytes(p.bytes)} verified`;
    default:
      return `${p.file}  ${bar(frac)} ${pct}  ${sizes}  ${formatBytes(p.rate)}/s  ETA ${formatDuration(p.eta)}`;
  }
}

/**
 * onProgress callback writing to a stream: redraws one line on a TTY (\r), otherwise prints a line per
 * phase change and every 10 % so logs stay short.
 */
export function terminalProgress(
  out: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
): (p: DownloadProgress) => void {
  let lastPhase = '';
  let lastDecile = -1;
  return (p) => {
    const line = formatDownloadProgress(p);
    if (out.isTTY) {
      out.write(`\r\x1b[2K${line}${p.phase === 'done' ? '\n' : ''}`);
      return;
    }
    const decile = p.total ? Math.floor((p.bytes / p.total) * 10) : -1;
    if (p.phase !== lastPhase || decile !== lastDecile) out.write(line + '\n');
    lastPhase = p.phase;
    lastDecile = decile;
  };
}
