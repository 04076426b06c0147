/**
 * How a log's lines are stored: plainly, or sealed (StoreCipher.lines). `decode` throws an
 * io_error naming `where` when a stored line does not open.
 *
 * @example
 * ```ts
 * const line = await codec.encode('{"seq":1}');
 * await codec.decode(line, 'line 1 of /data/audit/c_1.jsonl'); // '{"seq":1}'
 * ```
 */
export interface LineCodec {
  encode(text: string): Promise<string>;
  decode(line: string, where: string): Promise<string>;
}

/** Lines as they are: the logs of a data dir that is not sealed at rest. */
export const PLAIN_LINES: LineCodec = {
  encode: (text) => Promise.resolve(text),
  decode: (line) => Promise.resolve(line),
};
