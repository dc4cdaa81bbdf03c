/**
 * The named statements of the history search (issue 5 item 5, the dashboard's history view): one
 * page of calls, newest first, each row carrying the total count. Each kind of text uses its own
 * index: the contact id and Call-ID as BINARY prefix ranges, From/To/Request-URI through the
 * `calls_numbers` trigram index.
 *
 * Part of the statement registry of `statements.ts` (which merges these names into
 * `StatementTypes` and `STATEMENTS`); style.md, "Bruno's SQLite package".
 */
import { CALL_SUMMARY_COLUMNS, NEWEST_FIRST, type CallSummaryRow, type Spec, type StatementTable } from './statement-rows';

/** A summary row of a search, with the number of rows matching in all (`COUNT(*) OVER ()`). */
export type CallSearchRow = CallSummaryRow & { total: number };

/**
 * Bind parameters shared by the search statements: the time range (Unix ms, `from` inclusive, `to`
 * exclusive), the verdict filter (`any`, `ok`, `fail`, `none`), and the page.
 */
export interface SearchFilter {
  from_ms: number;
  to_ms: number;
  verdict: 'any' | 'ok' | 'fail' | 'none';
  limit: number;
  offset: number;
}

/** A prefix as a range of BINARY-collated text: `prefix <= x < prefix_end` (uses the column's index). */
export interface PrefixRange {
  prefix: string;
  prefix_end: string;
}

/** Each search statement's name → its kind, bind parameters and row shape. */
export interface SearchStatementTypes {
  calls_search_recent: Spec<'many', SearchFilter, CallSearchRow>;
  calls_search_run: Spec<'many', SearchFilter & { run_id: string }, CallSearchRow>;
  calls_search_contact: Spec<'many', SearchFilter & PrefixRange, CallSearchRow>;
  calls_search_call_id: Spec<'many', SearchFilter & PrefixRange, CallSearchRow>;
  calls_search_number: Spec<'many', SearchFilter & { match: string }, CallSearchRow>;
  calls_search_any: Spec<'many', SearchFilter & PrefixRange & { match: string }, CallSearchRow>;
}

/** The time range and verdict filter of every search statement. */
const SEARCH_FILTER = `started_wall_ms >= @from_ms AND started_wall_ms < @to_ms
  AND (@verdict = 'any' OR (@verdict = 'ok' AND contact_id_ok = 1) OR (@verdict = 'fail' AND contact_id_ok = 0)
    OR (@verdict = 'none' AND contact_id_ok IS NULL))`;
/** A page of a search, newest first, each row carrying the total count. */
const searchPage = (where: string): string =>
  `SELECT ${CALL_SUMMARY_COLUMNS}, COUNT(*) OVER () AS total FROM calls
   WHERE ${where} AND ${SEARCH_FILTER} ${NEWEST_FIRST} LIMIT @limit OFFSET @offset`;

/** The SQL of every search statement, by name. */
export const SEARCH_STATEMENTS: StatementTable<SearchStatementTypes> = {
  calls_search_recent: { kind: 'many', sql: searchPage('1') },
  calls_search_run: { kind: 'many', sql: searchPage('run_id = @run_id') },
  calls_search_contact: { kind: 'many', sql: searchPage('contact_id >= @prefix AND contact_id < @prefix_end') },
  calls_search_call_id: { kind: 'many', sql: searchPage('call_id >= @prefix AND call_id < @prefix_end') },
  calls_search_number: {
    kind: 'many',
    sql: searchPage('rowid IN (SELECT rowid FROM calls_numbers WHERE calls_numbers MATCH @match)'),
  },
  calls_search_any: {
    kind: 'many',
    sql: searchPage(`rowid IN (
      SELECT rowid FROM calls WHERE contact_id >= @prefix AND contact_id < @prefix_end
      UNION SELECT rowid FROM calls WHERE call_id >= @prefix AND call_id < @prefix_end
      UNION SELECT rowid FROM calls_numbers WHERE calls_numbers MATCH @match)`),
  },
};
