import Papa from 'papaparse';

/** Bytes read at a time (a few thousand log rows): Blob.stream() may hand over a whole file at once. */
export const READ_BYTES = 512 * 1024;
/** A field this long is not data: past it, cut at the last newline even inside quotes. */
const RUNAWAY_QUOTE_CHARS = 4 * 1024 * 1024;

export interface CsvLine {
  fields: string[];
  /** Line of the file where the row starts (first line = 1). */
  line: number;
  /** Papaparse found the row's quoting broken. */
  malformed: boolean;
}

/**
 * Streams a CSV Blob as blocks of whole rows: read by slices, decoded with one TextDecoder so
 * that a UTF-8 character split between two slices stays whole, the next slice read only once
 * `onBlock` has finished with the previous rows (a 100,000-row file is never held whole).
 * Each block of whole rows is parsed by papaparse's documented string parser; papaparse's own
 * file streaming decodes each slice alone and buffers everything while paused (PapaParse
 * issues #751 and #1132), and needs FileReader, which Node lacks.
 */
export async function forEachCsvBlock(blob: Blob, onBlock: (rows: CsvLine[], bytesRead: number) => Promise<void> | void): Promise<void> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let nextLine = 1;
  let bytesRead = 0;
  while (bytesRead < blob.size) {
    const bytes = new Uint8Array(await blob.slice(bytesRead, bytesRead + READ_BYTES).arrayBuffer());
    bytesRead += bytes.byteLength;
    pending += decoder.decode(bytes, { stream: true });
    const cut = lastRowEnd(pending);
    if (cut < 0) continue;
    const block = pending.slice(0, cut);
    pending = pending.slice(cut + 1);
    nextLine = await emit(block, nextLine, bytesRead, onBlock);
  }
  pending += decoder.decode();
  if (pending.endsWith('\n')) pending = pending.slice(0, -1);
  if (pending !== '') await emit(pending, nextLine, bytesRead, onBlock);
}

async function emit(
  block: string,
  firstLine: number,
  bytesRead: number,
  onBlock: (rows: CsvLine[], bytesRead: number) => Promise<void> | void,
): Promise<number> {
  const text = block.endsWith('\r') ? block.slice(0, -1) : block;
  const parsed = Papa.parse<string[]>(text, { delimiter: ',', skipEmptyLines: false });
  const broken = new Set(parsed.errors.map((error) => error.row));
  const rows: CsvLine[] = [];
  let line = firstLine;
  parsed.data.forEach((fields, index) => {
    if (!(fields.length === 1 && fields[0] === '')) rows.push({ fields, line, malformed: broken.has(index) });
    // A quoted field may hold newlines: the next row starts that many lines further.
    line += 1;
    for (const field of fields) for (let at = field.indexOf('\n'); at !== -1; at = field.indexOf('\n', at + 1)) line += 1;
  });
  await onBlock(rows, bytesRead);
  return line;
}

/** Index of the last newline outside a quoted field, or -1 (the whole text is one unfinished row). */
function lastRowEnd(text: string): number {
  let inQuotes = false;
  let last = -1;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 34) inQuotes = !inQuotes;
    else if (code === 10 && !inQuotes) last = i;
  }
  if (last === -1 && text.length > RUNAWAY_QUOTE_CHARS) return text.lastIndexOf('\n');
  return last;
}
