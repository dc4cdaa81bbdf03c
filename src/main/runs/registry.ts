/**
 * The one table of run kinds (issue 11): kind → spec (options schema + run function). To add a
 * kind, see the comment at the top of `types.ts`: one import and one line here.
 */
import type { RunKind, RunKindSpec } from './types';

/** Every registered kind. A kind absent here is refused by `runtime.run` as a usage error. */
export const RUN_KINDS: Partial<Record<RunKind, RunKindSpec>> = {};
