import { useEffect } from 'react';
import type { XenScope } from '../app/xenscope';
import { openFileText } from './shareActions';

/**
 * A session or trace file dropped anywhere on the page is imported, as Session ▸ Import does (not
 * in an embedded view, which is someone else's page).
 */
export function useFileDrop(app: XenScope): void {
  useEffect(() => {
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') === true;
    const onOver = (e: DragEvent) => {
      if (!hasFiles(e) || app.view.getState().embed) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onDrop = (e: DragEvent) => {
      if (!hasFiles(e) || app.view.getState().embed) return;
      e.preventDefault();
      const file = e.dataTransfer?.files[0];
      if (file !== undefined) void file.text().then((text) => openFileText(app, file.name, text));
    };
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
    };
  }, [app]);
}
