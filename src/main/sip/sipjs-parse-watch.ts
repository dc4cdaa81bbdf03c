/**
 * Lets the transport see whether sip.js could parse the text it was just handed, without parsing it
 * a second time. sip.js's UserAgent parses every incoming message with `Parser.parseMessage` and,
 * when that fails, only logs "Failed to parse incoming message. Dropping." (api/user-agent.js). The
 * transport wants to answer such a request with a 400 that names the bad header instead, and it
 * used to pre-parse every message with sip.js for that: twice the grammar work on the hot path.
 *
 * {@link watchSipJsParser} wraps `Core.Parser.parseMessage` once per process (the namespace object
 * sip.js itself calls through), keeps the first warning or error the parser logs for a text it
 * could not read, and still forwards everything to sip.js's own logger.
 */
import { Core } from 'sip.js';

type ParseMessage = typeof Core.Parser.parseMessage;
type ParserLogger = Parameters<ParseMessage>[1];

let installed = false;
let lastFailure: { text: string; error: string } | undefined;
/** The first warning or error sip.js's parser logged during the parse now running (not reentrant). */
let firstComplaint: string | undefined;
/**
 * One watching logger per sip.js logger (sip.js hands the same UserAgent logger to every parse), so
 * a parse allocates no wrapper of its own: it runs on the hot path, once per received message.
 */
const watchers = new WeakMap<ParserLogger, ParserLogger>();

function watcherOf(logger: ParserLogger): ParserLogger {
  let w = watchers.get(logger);
  if (w === undefined) {
    w = Object.assign(Object.create(logger) as ParserLogger, {
      warn: (content: string) => {
        firstComplaint ??= String(content);
        logger.warn(content);
      },
      error: (content: string) => {
        firstComplaint ??= String(content);
        logger.error(content);
      },
    });
    watchers.set(logger, w);
  }
  return w;
}

/** Installs the wrapper (idempotent). */
export function watchSipJsParser(): void {
  if (installed) return;
  installed = true;
  const original: ParseMessage = Core.Parser.parseMessage;
  const wrapped: ParseMessage = (data, logger) => {
    firstComplaint = undefined;
    let message: ReturnType<ParseMessage>;
    try {
      message = original(data, watcherOf(logger));
    } catch (e) {
      firstComplaint ??= `sip.js parser threw: ${e instanceof Error ? e.message : String(e)}`;
      message = undefined;
    }
    if (!message) lastFailure = { text: data, error: firstComplaint ?? 'sip.js could not parse the message' };
    firstComplaint = undefined;
    return message;
  };
  (Core.Parser as { parseMessage: ParseMessage }).parseMessage = wrapped;
}

/** 1 while a parse failure waits to be taken (it is taken right after each delivery), else 0. */
export function pendingSipJsParseFailures(): number {
  return lastFailure === undefined ? 0 : 1;
}

/**
 * Whether sip.js failed to parse exactly this text since the last call.
 * @returns sip.js's error for it, or undefined when it parsed (or was never handed to sip.js).
 */
export function takeSipJsParseFailure(text: string): string | undefined {
  const f = lastFailure;
  lastFailure = undefined;
  return f && f.text === text ? f.error : undefined;
}
