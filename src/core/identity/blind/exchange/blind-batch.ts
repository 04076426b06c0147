/** Which batch of which upload: the room's name for one unit of the second blinding. */
export interface BatchRef {
  collaboration: string;
  dataset: string;
  version: number;
  /** 0-based position of the batch in the upload. */
  index: number;
}

/** What the room sends a party to blind a second time (elements as lower-case hex). */
export interface BlindBatch {
  ref: BatchRef;
  /** How many batches the upload has, so the client can show progress and resume. */
  total: number;
  elements: string[];
  /** {@link batchDigest} of `ref` and `elements`: the party echoes it with its answer. */
  digest: string;
}

/** The party's answer: each element times its key, in the order received. */
export interface BlindedBatch {
  ref: BatchRef;
  digest: string;
  elements: string[];
}

/** What the room keeps (and never sends) to check an answer. */
export interface PendingBatch {
  ref: BatchRef;
  digest: string;
  /** Elements sent, canaries included. */
  count: number;
  /** Where the canaries sit, what they are, and what `key · canary` must be (hex). */
  canaries: { position: number; element: string; expected: string }[];
}
