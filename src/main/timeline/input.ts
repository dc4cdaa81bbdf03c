/**
 * What the timeline is built from: the history records that carried one contact id (read by
 * `history/contact-search.ts`), plus the steps of a test case when one ran. A CXone-side leg placed
 * by the emulated script carries that script's own steps (`CallDetail.scriptSteps`, history
 * migration 7), which the script lane draws instead of inferring them (stored-steps.ts). The types
 * live in the contract (`src/shared/timeline.ts`) so that the store layer can produce them.
 */
export type { StepMark, TimelineCallInput, TimelineInput, TimelineSignalInput } from '../../shared/timeline';
