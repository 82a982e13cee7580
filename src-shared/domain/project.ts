export interface ProjectSummary {
  id: number;
  name: string;
  /** Absolute path of the folder that video paths are relative to. */
  mediaRoot: string;
  createdAt: string;
  counts: {
    videos: number;
    labeled: number;
    train: number;
    test: number;
    withKeypoints: number;
    models: number;
    runs: number;
  };
}

export interface AppInfo {
  version: string;
  /** 'electron' in the desktop app, 'browser' when served by the local web host. */
  mode: 'electron' | 'browser';
  home: string;
  dbPath: string;
  ffmpeg: { available: boolean; path: string | null; message: string | null };
}
