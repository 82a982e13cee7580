/** Media services (plain Node; no Electron, no database). */
export { MediaError, isMediaError, type MediaErrorCode } from './errors.js';
export { findFfmpeg, type FfmpegTools } from './ffmpeg.js';
export { probe, parseFfmpegInfo, type ProbeOptions, type VideoProbe } from './probe.js';
export {
  sampleFrames,
  listKeyframes,
  fitSize,
  MAX_SAMPLES,
  type SampleOptions,
  type SampleResult,
  type SampledFrame,
} from './frames.js';
export { sampleFramesToDir, sampleFrameSetsToDir, clearCachedFrames, type CachedFrames } from './frame-cache.js';
export {
  thumbnail,
  previewTranscode,
  needsPreview,
  type PreviewOptions,
  type TranscodeProgress,
  type ThumbnailOptions,
} from './preview.js';
export { hashFile, type FileHash, type HashMode } from './hash.js';
export {
  scanForVideos,
  isVideoFile,
  splitFromPath,
  exerciseFromPath,
  VIDEO_EXTENSIONS,
  type ScannedVideo,
  type ScanResult,
} from './scan.js';
export {
  importVideos,
  type ImportOptions,
  type ImportRecord,
  type ImportResult,
  type ImportProgress,
} from './import.js';
