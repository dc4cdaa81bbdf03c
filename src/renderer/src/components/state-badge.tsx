import type { CallState } from '../../../shared/types';

/** The call's state as a coloured badge. */
export function StateBadge({ state }: { state: CallState }) {
  return <span className={`badge state-${state}`}>{state}</span>;
}
