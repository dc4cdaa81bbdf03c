/**
 * The agent's side of a handoff (issue 15 item 3): what ONSIGNAL handed the script (p1..p9 as the
 * Studio variables), what the agent gets (for Watson the transcript link PopURL builds from p1, seed
 * 002_3a3aada58f5230c3.txt; for others the parameters as a screen pop), and where the contact went
 * (REQAGENT to which skill, HANGUP, ONRELEASE).
 */
import type { AgentView } from '../../../shared/timeline';
import { formatOffset } from '../../../shared/timeline-layout';

/** The agent side panel; a sentence when ONSIGNAL never fired. */
export function TimelineAgentPanel({ agent }: { agent: AgentView | null }) {
  return (
    <section className="panel tl-agent" aria-labelledby="tl-agent-title" data-testid="timeline-agent">
      <h2 id="tl-agent-title">Agent's side</h2>
      {!agent ? (
        <p className="empty">Nothing reached the CXone script.</p>
      ) : (
        <>
          <div className={`outcome ${agent.outcome}`} data-testid="timeline-outcome">
            {agent.outcome === 'ONRELEASE' ? 'ONRELEASE → agent' : agent.outcome}
          </div>
          <p>{agent.summary}</p>
          <dl>
            <dt>ONSIGNAL</dt>
            <dd>{agent.onSignal ? <>contact <code>{agent.onSignal.contactId}</code> at {formatOffset(agent.onSignal.atMs)}</> : 'did not fire'}</dd>
            <dt>Studio variables</dt>
            <dd>
              {agent.variables.length === 0
                ? '—'
                : agent.variables.map((v) => (
                    <div key={v.name}>
                      <code>{v.name}</code> = <code>{v.value}</code>
                    </div>
                  ))}
            </dd>
            {agent.skill && (
              <>
                <dt>REQAGENT skill</dt>
                <dd>{agent.skill}</dd>
              </>
            )}
            {agent.screenPop && (
              <>
                <dt>Agent's screen pop</dt>
                <dd data-testid="timeline-screen-pop">
                  {agent.screenPop.kind === 'url' ? (
                    <code>{agent.screenPop.url}</code>
                  ) : agent.screenPop.rows.length ? (
                    agent.screenPop.rows.map((r) => (
                      <div key={r.name}>
                        {r.name}: <b>{r.value}</b>
                      </div>
                    ))
                  ) : (
                    '—'
                  )}
                  <div className="muted">{agent.screenPop.note}</div>
                </dd>
              </>
            )}
          </dl>
        </>
      )}
    </section>
  );
}
