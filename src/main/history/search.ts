/**
 * The history search (issue 5 item 5, the dashboard's `history/search`): one page of calls matching
 * a text, a time range and a verdict filter, with the total count. Runs the named statements of
 * `search-statements.ts` through the connection's {@link Statements}.
 */
import type { HistoryPage, HistorySearchRequest } from '../../shared/contract';
import { rowToCallSummary } from './rows';
import type { CallSearchRow, SearchFilter, Statements } from './statements';

/** The most calls one search page returns. */
const MAX_PAGE = 1000;

/**
 * One page of the history search, newest first: `text` matched as a prefix of the contact id or
 * the Call-ID, or as a substring (≥ 3 characters, trigram index) of From, To or the Request-URI;
 * `any` tries all three. Time range (Unix ms, `from` inclusive, `to` exclusive; a missing or
 * non-finite bound is open) and verdict filter apply to every kind; `runId` restricts to one run
 * (then `text` is ignored). `limit` is clamped to 1..1000, `offset` to ≥ 0.
 * @param st - the prepared statements of an open store.
 * @returns the page; `total` counts every matching call, also when the page lies past the end.
 */
export function searchCalls(st: Statements, q: HistorySearchRequest): HistoryPage {
  const filter: SearchFilter = {
    from_ms: Number.isFinite(q.fromWallMs) ? (q.fromWallMs as number) : -Number.MAX_VALUE,
    to_ms: Number.isFinite(q.toWallMs) ? (q.toWallMs as number) : Number.MAX_VALUE,
    verdict: q.verdict,
    limit: Math.min(MAX_PAGE, Math.max(1, Math.floor(q.limit) || 1)),
    offset: Math.max(0, Math.floor(q.offset) || 0),
  };
  const text = q.text.trim();
  const range = { prefix: text, prefix_end: `${text}\u{10FFFF}` };
  const match = `"${text.replaceAll('"', '""')}"`;
  let rows: CallSearchRow[];
  if (q.runId !== undefined) rows = st.many('calls_search_run', { ...filter, run_id: q.runId });
  else if (text === '') rows = st.many('calls_search_recent', filter);
  else if (q.field === 'contactId') rows = st.many('calls_search_contact', { ...filter, ...range });
  else if (q.field === 'callId') rows = st.many('calls_search_call_id', { ...filter, ...range });
  else if (q.field === 'number') rows = st.many('calls_search_number', { ...filter, match });
  else rows = st.many('calls_search_any', { ...filter, ...range, match });
  return { total: rows[0]?.total ?? (filter.offset > 0 ? countOnly(st, q) : 0), offset: filter.offset, calls: rows.map(rowToCallSummary) };
}

/** The total of a search whose page lies past the end (no row carried the count). */
function countOnly(st: Statements, q: HistorySearchRequest): number {
  return searchCalls(st, { ...q, offset: 0, limit: 1 }).total;
}
