/**
 * The named statements of the search by contact id across history (issue 15 item 2): the calls
 * that carried the id (their `contact_id`, the X- header of the INVITE a CXone-side leg sent, a
 * Signal sent for them), the other leg of each (same run, same Call-ID), and every Signal that
 * named the id. Calls of every run kind are found: handoffs, answer and emulate runs, imported
 * captures and test runs.
 *
 * Part of the statement registry of `statements.ts`; style.md, "Bruno's SQLite package".
 * `calls.contact_id` and `calls.call_id` are indexed (migration 1), `signals.contact_id` by
 * migration 5. Only the CXone-side legs without a recorded contact id are found by scanning their
 * INVITE text (`instr`), restricted to `contact_id IS NULL`.
 */
import { CALL_SUMMARY_COLUMNS, type CallSummaryRow, type SignalRow, type Spec, type StatementTable } from './statement-rows';

/** Bind parameters of the contact statements: the id as typed (exact match), and a cap on rows. */
export interface ContactParams {
  contact_id: string;
  limit: number;
}

/** A call found by contact id, with its run's kind (null for a call without a run). */
export type ContactCallRow = CallSummaryRow & { run_kind: string | null; run_ok: 0 | 1 | null };

/** Each contact statement's name → its kind, bind parameters and row shape. */
export interface ContactStatementTypes {
  contact_calls: Spec<'many', ContactParams, ContactCallRow>;
  contact_signals: Spec<'many', ContactParams, SignalRow>;
}

/**
 * Calls that carried the id: by `contact_id`, by a Signal sent for them with the id, or (CXone-side
 * legs, which record no contact id) by an INVITE with a header whose value is exactly the id
 * (`: <id>` followed by CR). Their run's twin leg (same Call-ID) comes with them.
 */
const CARRIED = `SELECT id FROM calls WHERE contact_id = @contact_id
  UNION SELECT call_ref FROM signals WHERE contact_id = @contact_id AND call_ref IS NOT NULL
  UNION SELECT id FROM calls WHERE contact_id IS NULL AND invite_raw IS NOT NULL
    AND (instr(invite_raw, ': ' || @contact_id || char(13)) > 0 OR instr(invite_raw, ':' || @contact_id || char(13)) > 0)`;

const CALL_COLUMNS = CALL_SUMMARY_COLUMNS.split(',').map((c) => `c.${c.trim()}`).join(', ');

/** The SQL of every contact statement, by name. */
export const CONTACT_STATEMENTS: StatementTable<ContactStatementTypes> = {
  contact_calls: {
    kind: 'many',
    sql: `WITH carried AS (${CARRIED}),
            legs AS (
              SELECT id FROM carried
              UNION SELECT twin.id FROM calls d JOIN calls twin ON twin.call_id = d.call_id AND twin.run_id IS d.run_id
                WHERE d.id IN (SELECT id FROM carried))
          SELECT ${CALL_COLUMNS}, r.kind AS run_kind, r.ok AS run_ok
          FROM calls c LEFT JOIN runs r ON r.id = c.run_id
          WHERE c.id IN (SELECT id FROM legs)
          ORDER BY c.started_wall_ms, c.rowid LIMIT @limit`,
  },
  contact_signals: {
    kind: 'many',
    sql: 'SELECT * FROM signals WHERE contact_id = @contact_id ORDER BY wall_ms, rowid LIMIT @limit',
  },
};
