/**
 * `lab history --contact <id> [--json FILE|-] [--db FILE]`: everything history holds for one
 * contact id (calls of every run kind, Signals, imported captures, test runs) and its timeline
 * (issue 15 item 2).
 */
import { HistoryStore } from '../history/store';
import { defaultDbFile } from '../paths';
import { contactTimeline } from '../timeline/from-history';
import { formatTimelineText } from '../timeline/format-text';
import { CliUsageError, emitResult, parseCommandArgs, sayFor } from './args';

/** Usage lines of the command, for the CLI's help. */
export const HISTORY_USAGE = `  history --contact <id> [--json FILE|-] [--db FILE]
      Everything that carried a contact id: both legs of each call, Signals (also those sent for
      another call), imported captures and test runs, as one timeline on one clock (SIP, CXone
      script, CXone API, audio, latency marks) with what the agent got. Exit status 1 when none.`;

/**
 * Runs `lab history`.
 * @returns 0 when history holds something for the id, 1 when nothing.
 * @throws CliUsageError without `--contact`; Error when history cannot be read or the file written.
 */
export async function historyCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, { contact: { type: 'string' }, json: { type: 'string' }, db: { type: 'string' } });
  const contactId = values.contact?.trim();
  if (!contactId) throw new CliUsageError('history needs --contact <id>');
  const store = HistoryStore.open(values.db ?? defaultDbFile());
  try {
    const { history, timeline } = contactTimeline(store, contactId);
    const result = { ok: timeline.events.length > 0, contactId, calls: history.calls, runs: history.runs, timeline };
    return emitResult(result, () => formatTimelineText(timeline), values.json, sayFor(values.json));
  } finally {
    store.close();
  }
}
