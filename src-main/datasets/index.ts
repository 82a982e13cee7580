/** Dataset services (plain Node; no Electron, no database). */
export { DatasetError, type DatasetErrorCode } from './errors.js';
export { downloadFile, readVerified, partPath, verifiedPath, type DownloadOptions, type DownloadProgress, type DownloadResult, type Checksum } from './download.js';
export { safeEntryPath, listArchive, extractArchive, listZip, extractZip, listRar, extractRar, type ArchiveEntry, type ExtractResult, type RefusedEntry } from './archive.js';
export { DATASETS, datasetStatus, resolveDataset, datasetDir, type DatasetId, type DatasetInfo, type DatasetStatus, type DatasetStatusInfo } from './catalog.js';
export { extractUcf101, parseUcfName, readOfficialSplit, groupSplit, UCF101_EXERCISE_CLASSES, UCF101_EXCLUDED_CLASSES, type UcfRecord } from './ucf101.js';
export { extractCocoKeypoints, COCO_ROW_COLUMNS, COCO_KEYPOINT_NAMES, TopLevelArrayScanner, type CocoSplitSummary } from './coco.js';
export { listDatasets, downloadDataset, importFolder, type DownloadDatasetOptions, type DownloadDatasetResult, type DatasetJobEvent } from './cli.js';
export { formatDownloadProgress, terminalProgress, formatBytes, formatDuration } from './progress-text.js';
