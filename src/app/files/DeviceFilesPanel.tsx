/** Import of measurement-app logs and device files; export of the device's readings. */
export function DeviceFilesPanel() {
  return null;
}
