/** What the downloader takes, reports and returns (see download.ts for the behaviour). */
export interface Checksum {
  algorithm: 'md5' | 'sha256';
  value: string;
}

export interface DownloadProgress {
  phase: 'connecting' | 'downloading' | 'verifying' | 'done';
  file: string;
  /** Bytes on disk for this file (including resumed bytes). */
  bytes: number;
  total: number | null;
  /** Bytes per second over the last few seconds (0 until known). */
  rate: number;
  /** Seconds left at the current rate, null when unknown. */
  eta: number | null;
  attempt: number;
  /** Byte offset this connection resumed from (0 = fresh). */
  resumedFrom: number;
}

export interface DownloadOptions {
  url: string;
  dest: string;
  expectedSize?: number;
  /** Used only for the free-space check when the exact size is unknown. */
  approxSize?: number;
  checksum?: Checksum;
  /** Extra verification on the finished .part (throw to reject it). */
  verify?: (partPath: string) => Promise<void>;
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  /** Consecutive failures without progress before giving up (default 5). */
  retries?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Abort a connection with no data for this long (default 30 s). */
  idleTimeoutMs?: number;
  /** Free bytes available in a folder (default: fs.statfs). */
  freeSpace?: (dir: string) => Promise<number>;
  /** Extra bytes that must stay free (default 64 MiB). */
  spaceMargin?: number;
  headers?: Record<string, string>;
  progressIntervalMs?: number;
}

export interface DownloadResult {
  path: string;
  size: number;
  /** Hex digest when a checksum was verified. */
  checksum: string | null;
  /** true when `dest` was already complete and verified: nothing was downloaded. */
  alreadyComplete: boolean;
  /** Number of HTTP attempts made. */
  attempts: number;
  /** Offsets we resumed from (the Range starts sent), for diagnostics. */
  resumes: number[];
}
