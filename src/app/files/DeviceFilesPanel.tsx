import { useState } from 'preact/hooks';
import { ExportPanel } from './ExportPanel.tsx';
import { ImportPanel } from './ImportPanel.tsx';
import { StoragePanel } from './StoragePanel.tsx';

/** Import of measurement-app logs and device files; export of the device's readings; storage used. */
export function DeviceFilesPanel() {
  // Bumped after an import or export, so that the storage figures are read again.
  const [storageKey, setStorageKey] = useState(0);
  const touched = () => setStorageKey((key) => key + 1);
  return (
    <div class="device-files">
      <ImportPanel onImported={touched} />
      <ExportPanel onExported={touched} />
      <StoragePanel refreshKey={storageKey} />
    </div>
  );
}
