/**
 * The reply an emulator route returns, apart from the route table's other types (api-types.ts) so
 * that the fault state, which builds replies, does not import the context that holds it.
 */

/**
 * What a route answers: a JSON value (object) or a text body, plus work to do once it is sent.
 * `status` is the HTTP status code; `delayMs` in ms.
 */
export interface EmulatorReply {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
  /** Runs after the response was written (e.g. ONSIGNAL). */
  after?: () => void;
  /** Answer only after this delay (ms): the `slow` fault. */
  delayMs?: number;
  /** Reset the connection (TCP RST) instead of answering: the `reset` fault. */
  reset?: boolean;
}
