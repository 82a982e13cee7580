/** Drop videos or folders on the Library (browser mode): upload with progress, then the ordinary import. */
import { useState } from 'react';
import { api } from '../api/client';
import { useApp } from '../app/store';
import { droppedVideos, uploadVideos, type UploadProgress } from './drop-upload';

export function useDropImport() {
  const [dragging, setDragging] = useState(false);
  const [upload, setUpload] = useState<UploadProgress | null>(null);
  const hasFiles = (e: React.DragEvent) => Array.from(e.dataTransfer.types).includes('Files');
  const dropProps = {
    onDragOver: (e: React.DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      if (!dragging) setDragging(true);
    },
    onDragLeave: (e: React.DragEvent) => {
      if (e.currentTarget === e.target) setDragging(false);
    },
    onDrop: (e: React.DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setDragging(false);
      const { toast, info } = useApp.getState();
      if (info?.mode === 'electron') {
        toast('error', 'In the desktop app, type the folder or use Import videos: dropped files are not uploaded.');
        return;
      }
      if (upload) {
        toast('error', 'An upload is still running: drop again when it is done.');
        return;
      }
      void (async () => {
        try {
          const { videos, ignored } = await droppedVideos(e.dataTransfer);
          if (videos.length === 0) {
            toast('error', 'Nothing to import: drop video files (.mp4 .mov .avi .mkv) or folders that hold them.');
            return;
          }
          setUpload({ files: videos.length, done: 0, bytes: 0, sent: 0 });
          const folder = await uploadVideos(videos, setUpload);
          await api.call('videos.import', { paths: [folder] });
          toast(
            'info',
            `Uploaded ${videos.length} video${videos.length === 1 ? '' : 's'}${ignored ? ` (${ignored} other file${ignored === 1 ? '' : 's'} left out)` : ''}; importing…`,
          );
        } catch (err) {
          toast('error', `Upload failed, nothing imported: ${(err as Error).message}`);
        } finally {
          setUpload(null);
        }
      })();
    },
  };
  return { dragging, upload, dropProps };
}
