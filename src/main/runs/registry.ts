/**
 * The one table of run kinds (issue 11): kind → spec (options schema + run function). To add a
 * kind, see the comment at the top of `types.ts`: one import and one line here.
 */
import { answerRun } from './answer';
import { emulateRun } from './emulate';
import { handoffRun } from './handoff';
import { importRun } from './import';
import { loadRun } from './load';
import { monitorRun } from './monitor';
import { placeCallRun } from './place-call';
import { replayRun } from './replay';
import type { RunKind, RunKindSpec } from './types';
import { testRun } from './test-case';

/** Every registered kind. A kind absent here is refused by `runtime.run` as a usage error. */
export const RUN_KINDS: Partial<Record<RunKind, RunKindSpec>> = {
  handoff: handoffRun as RunKindSpec,
  answer: answerRun as RunKindSpec,
  emulate: emulateRun as RunKindSpec,
  call: placeCallRun as RunKindSpec,
  monitor: monitorRun as RunKindSpec,
  replay: replayRun as RunKindSpec,
  import: importRun as RunKindSpec,
  load: loadRun as RunKindSpec,
  test: testRun as RunKindSpec,
};
