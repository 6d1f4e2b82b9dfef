/** Hands a file to the browser's download, as a link the agent would have tapped. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

/** couverture-<what>-2026-05-04.<extension> */
export function datedFileName(what: string, extension: string, at = new Date()): string {
  return `couverture-${what}-${at.toISOString().slice(0, 10)}.${extension}`;
}
