import { open } from 'node:fs/promises';
import { readCsvRecords } from '../../core/csv/read-csv-records.js';
import { CleanRoomError } from '../../core/errors.js';

const HEADER_BYTES = 1 << 20;

/**
 * The column names of a CSV file's header record (its first record; a UTF-8 byte-order
 * mark is dropped). The engine reads the body with an explicit column list instead of
 * letting DuckDB sniff the dialect, which guesses wrong on small or messy files.
 *
 * @example
 * ```ts
 * await readCsvHeader('/uploads/exposures.csv', ','); // ['email', 'campaign', 'day']
 * ```
 */
export async function readCsvHeader(path: string, delimiter: string, fileLabel: string): Promise<string[]> {
  let text: string;
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(HEADER_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, HEADER_BYTES, 0);
      text = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new CleanRoomError('io_error', `Cannot read ${fileLabel}: the file cannot be opened`, {
      details: { file: fileLabel },
      cause: error,
    });
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  let header: string[] | undefined;
  readCsvRecords(firstRecordText(text), {
    delimiter,
    onRecord: (fields) => {
      header ??= fields;
    },
    onProblem: () => undefined,
  });
  if (header === undefined || header.every((name) => name.trim() === '')) {
    throw new CleanRoomError('invalid_input', `Cannot load ${fileLabel}: it has no header record`, {
      details: { file: fileLabel, line: 1 },
    });
  }
  return header;
}

// The text up to the first line break outside quotes: the header record alone.
function firstRecordText(text: string): string {
  let quotes = 0;
  let from = 0;
  for (;;) {
    const newline = text.indexOf('\n', from);
    if (newline === -1) return text;
    for (let i = text.indexOf('"', from); i !== -1 && i < newline; i = text.indexOf('"', i + 1)) quotes++;
    if (quotes % 2 === 0) return text.slice(0, newline + 1);
    from = newline + 1;
  }
}
