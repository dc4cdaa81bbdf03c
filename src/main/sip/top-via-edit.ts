/**
 * Edits of a SIP message's top Via branch, in its text and in its parse (for transaction-key.ts):
 * in place on the top Via line where that is safe, else by rewriting the whole top Via header
 * into one line (RFC 3261 §7.3.1 folding, several values in one header) and parsing again.
 * Nothing here throws; an edit that cannot be made leaves the message as it was.
 */
import { canonicalHeaderName, isParseError, parseSipMessage, topVia, type ParsedSipMessage } from './message';

/** Index of the first Via header (the top one, RFC 3261 §7.3.1), or -1. */
export function firstViaIndex(msg: ParsedSipMessage): number {
  const headers = msg.headers;
  for (let i = 0; i < headers.length; i++) {
    if (canonicalHeaderName(headers[i]!.name) === 'via') return i;
  }
  return -1;
}

/** The top Via value (as `topVia` of message.ts, without splitting a header that has no comma). */
export function topViaOf(msg: ParsedSipMessage): string | undefined {
  const i = firstViaIndex(msg);
  if (i === -1) return undefined;
  const value = msg.headers[i]!.value;
  return value.includes(',') ? topVia([msg.headers[i]!]) : value === '' ? undefined : value;
}

/** A message as the transport passes it on: its text and the parse of that text. */
export interface KeyedMessage {
  text: string;
  parsed: ParsedSipMessage;
}

/** `edited` with its parse; `text` and `msg` when `edited` is `text` or cannot be parsed. */
export function reparsed(text: string, msg: ParsedSipMessage, edited: string): KeyedMessage {
  if (edited === text) return { text, parsed: msg };
  const parsed = parseSipMessage(edited);
  return isParseError(parsed) ? { text, parsed: msg } : { text: edited, parsed };
}

/**
 * Replaces `needle` (`;branch=<value>`) by `replacement` in the text and in the parse of the top Via,
 * when that is where the text has it first, as the top Via's first branch parameter, on one
 * unfolded line: then the copied parse equals a parse of the new text (a unit test compares them).
 * @returns undefined in any other case (the caller edits the text and parses it again).
 */
export function editTopViaBranch(text: string, msg: ParsedSipMessage, needle: string, replacement: string): KeyedMessage | undefined {
  const i = firstViaIndex(msg);
  if (i === -1) return undefined;
  const value = msg.headers[i]!.value;
  const j = value.indexOf(needle);
  if (j === -1 || j !== value.search(/;\s*branch=/i) || /[^;,\s]/.test(value[j + needle.length] ?? ';')) return undefined;
  // `needle` stands for the top Via's branch parameter only if it is in the first value.
  if (value.slice(0, j).includes(',')) return undefined;
  const k = text.indexOf(needle);
  const viaLine = /\r\n(?:via|v)[ \t]*:/i.exec(text);
  const lineEnd = text.indexOf('\r\n', k);
  if (k === -1 || !viaLine || viaLine.index !== text.lastIndexOf('\r\n', k) || lineEnd === -1 || text[lineEnd + 2] === ' ' || text[lineEnd + 2] === '\t') {
    return undefined;
  }
  const headers = msg.headers.slice();
  headers[i] = { ...headers[i]!, value: value.slice(0, j) + replacement + value.slice(j + needle.length) };
  return { text: text.slice(0, k) + replacement + text.slice(k + needle.length), parsed: { ...msg, headers } };
}

/**
 * The text with `suffix` appended to the branch of its top Via, which is `branch`. The top Via line
 * is edited in place; a folded one is rewritten into one line by {@link replaceTopViaBranch}.
 */
export function appendToTopViaBranch(text: string, branch: string, suffix: string): string {
  const headEnd = text.indexOf('\r\n\r\n');
  const via = /\r\n(?:via|v)[ \t]*:/i.exec(text);
  if (!via || (headEnd !== -1 && via.index > headEnd)) return text;
  const lineEnd = text.indexOf('\r\n', via.index + 2);
  const folded = lineEnd !== -1 && (text[lineEnd + 2] === ' ' || text[lineEnd + 2] === '\t');
  const line = text.slice(via.index, lineEnd === -1 ? text.length : lineEnd);
  const param = /;[ \t]*branch[ \t]*=[ \t]*/i.exec(line);
  const at = param ? via.index + param.index + param[0].length : -1;
  if (folded || at === -1 || text.slice(at, at + branch.length) !== branch || /[^;,\s]/.test(text[at + branch.length] ?? '')) {
    return replaceTopViaBranch(text, branch + suffix);
  }
  return text.slice(0, at + branch.length) + suffix + text.slice(at + branch.length);
}

/**
 * Replaces the whole first Via header (with its folded lines) by one line whose first value carries
 * `;branch=<branch>` in place of its branch parameter; other values of that line are kept.
 */
export function replaceTopViaBranch(text: string, branch: string): string {
  const headEnd = text.indexOf('\r\n\r\n');
  const head = headEnd === -1 ? text : text.slice(0, headEnd);
  const lines = head.split('\r\n');
  const first = lines.findIndex((l, i) => i > 0 && /^(via|v)[ \t]*:/i.test(l));
  if (first === -1) return text;
  let last = first;
  while (last + 1 < lines.length && /^[ \t]/.test(lines[last + 1]!)) last++;
  const value = lines
    .slice(first, last + 1)
    .map((l, i) => (i === 0 ? l.slice(l.indexOf(':') + 1) : l))
    .map((l) => l.trim())
    .join(' ');
  const comma = topValueEnd(value);
  const top = value.slice(0, comma).trim();
  const rest = value.slice(comma);
  const rewritten = /;\s*branch\s*=\s*[^;,\s]*/i.test(top)
    ? top.replace(/;\s*branch\s*=\s*[^;,\s]*/i, `;branch=${branch}`)
    : `${top.replace(/;\s*$/, '')};branch=${branch}`;
  lines.splice(first, last - first + 1, `Via: ${rewritten}${rest}`);
  return lines.join('\r\n') + (headEnd === -1 ? '' : text.slice(headEnd));
}

/** Index of the comma that ends the first value of a Via header (outside quotes), or its length. */
function topValueEnd(value: string): number {
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"' && value[i - 1] !== '\\') quoted = !quoted;
    else if (c === ',' && !quoted) return i;
  }
  return value.length;
}
