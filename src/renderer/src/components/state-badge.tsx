import type { StoredCallState } from '../../../shared/types';

/**
 * The call's state as a coloured badge. `interrupted`: the process that held the call stopped
 * (SIGKILL, crash) before it ended; history closed it at the next start (issue 12 item 3).
 */
export function StateBadge({ state }: { state: StoredCallState }) {
  const title = state === 'interrupted' ? 'the process that held this call stopped before the call ended; closed at its last SIP message' : undefined;
  return (
    <span className={`badge state-${state}`} title={title}>
      {state}
    </span>
  );
}
