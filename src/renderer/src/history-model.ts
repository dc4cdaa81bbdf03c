/**
 * The History screen's query (kept across screen switches) and its paged results: the list asks
 * `history/search` for pages of {@link HISTORY_PAGE} calls as they scroll into view, so that 10,000
 * calls cost a few small requests and a few dozen DOM rows (issue 5 item 5).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { create } from 'zustand';
import type { HistorySearchField, HistorySearchRequest } from '../../shared/contract';
import type { CallSummary } from '../../shared/types';
import { labApi } from './store';

/** Calls per `history/search` page. */
export const HISTORY_PAGE = 200;

/** What the user searches for. Dates are `YYYY-MM-DD` in local time, empty for none. */
export interface HistoryQuery {
  field: HistorySearchField;
  text: string;
  from: string;
  to: string;
  verdict: HistorySearchRequest['verdict'];
  runId: string;
}

interface HistoryQueryState extends HistoryQuery {
  set(patch: Partial<HistoryQuery>): void;
  reset(): void;
}

const EMPTY: HistoryQuery = { field: 'any', text: '', from: '', to: '', verdict: 'any', runId: '' };

/** The query, shared by the search bar and the list. */
export const useHistoryQuery = create<HistoryQueryState>()((set) => ({
  ...EMPTY,
  set: (patch) => set(patch),
  reset: () => set(EMPTY),
}));

/** Local midnight of a `YYYY-MM-DD` date (Unix ms), plus `days`; undefined for an empty or bad date. */
export function localDayMs(date: string, days = 0): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days).getTime();
}

/** The request for one page of a query. */
export function pageRequest(q: HistoryQuery, page: number): HistorySearchRequest {
  const from = localDayMs(q.from);
  const to = localDayMs(q.to, 1);
  return {
    field: q.field,
    text: q.text.trim(),
    verdict: q.verdict,
    ...(from !== undefined ? { fromWallMs: from } : {}),
    ...(to !== undefined ? { toWallMs: to } : {}),
    ...(q.runId ? { runId: q.runId } : {}),
    offset: page * HISTORY_PAGE,
    limit: HISTORY_PAGE,
  };
}

/**
 * The rows of a query, page by page. `row(i)` is undefined while its page loads; `need(first, last)`
 * asks for the pages covering rows first..last. A new query drops every page.
 */
export function useHistoryPages(q: HistoryQuery, reloadKey: number) {
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [, setVersion] = useState(0);
  const pages = useRef(new Map<number, CallSummary[] | 'loading'>());
  const generation = useRef(0);
  const key = JSON.stringify(q);

  const load = useCallback(
    (page: number) => {
      const api = labApi();
      if (!api || pages.current.has(page)) return;
      pages.current.set(page, 'loading');
      const gen = generation.current;
      void api['history/search'](pageRequest(JSON.parse(key) as HistoryQuery, page)).then((r) => {
        if (gen !== generation.current) return;
        if (r.ok) {
          pages.current.set(page, r.value.calls);
          setTotal(r.value.total);
          setError(null);
        } else {
          pages.current.delete(page);
          setError(r.error);
        }
        setVersion((v) => v + 1);
      });
    },
    [key],
  );

  useEffect(() => {
    generation.current++;
    pages.current = new Map();
    setTotal(null);
    load(0);
  }, [key, load, reloadKey]);

  const row = (i: number): CallSummary | undefined => {
    const p = pages.current.get(Math.floor(i / HISTORY_PAGE));
    return Array.isArray(p) ? p[i % HISTORY_PAGE] : undefined;
  };
  const need = (first: number, last: number): void => {
    for (let p = Math.floor(first / HISTORY_PAGE); p <= Math.floor(last / HISTORY_PAGE); p++) load(p);
  };
  return { total, error, row, need };
}
