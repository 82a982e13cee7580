/** API calls of the import folder browser (browser mode has no native file dialog). */
import { z } from 'zod';
import { call } from './call';

export interface FolderEntry {
  name: string;
  /** Absolute path (what the import takes). */
  path: string;
  kind: 'folder' | 'video';
}

export interface FolderListing {
  /** The folder listed (real path), or null for the list of roots. */
  path: string | null;
  /** Its parent when that is still inside a root. */
  parent: string | null;
  /** Where browsing may go: the user's home and mounted volumes. */
  roots: Array<{ label: string; path: string }>;
  /** Sub-folders first, then video files; hidden entries left out. */
  entries: FolderEntry[];
  /** More entries than listed (a huge folder): the count left out. */
  truncated: number;
}

export const filesContract = {
  /** One folder under the user's home or a mounted volume (no path: the roots). Nothing outside them, symlinks included. */
  'files.browse': call<FolderListing>()(z.object({ path: z.string().min(1).max(4096).optional() }).strict()),
} as const;
