/**
 * What the timeline is built from: the history records that carried one contact id (read by
 * `history/contact-search.ts`), plus the steps of a test case when one ran. The types live in the
 * contract (`src/shared/timeline.ts`) so that the store layer can produce them.
 */
export type { StepMark, TimelineCallInput, TimelineInput, TimelineSignalInput } from '../../shared/timeline';
