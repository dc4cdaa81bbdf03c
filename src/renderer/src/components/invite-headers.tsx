import type { CallDetail } from '../../../shared/types';
import { isXHeader } from '../format';

/**
 * The INVITE's headers in wire order (names as received). The contact-id header the verdict used
 * is highlighted, X- headers are marked, and near-miss headers are flagged.
 */
export function InviteHeaders({ call }: { call: CallDetail }) {
  if (!call.invite) {
    return (
      <section className="panel" aria-label="INVITE headers">
        <h2>INVITE headers</h2>
        <p className="empty">No INVITE seen yet.</p>
      </section>
    );
  }
  const used = call.verdict?.header ?? null;
  const nearMiss = new Set((call.verdict?.nearMisses ?? []).map((m) => m.header));
  return (
    <section className="panel" aria-label="INVITE headers">
      <h2>
        INVITE headers <span className="muted">{call.invite.headers.length}</span>
      </h2>
      <div className="table-wrap">
        <table className="headers-table" data-testid="invite-headers">
          <tbody>
            {call.invite.headers.map((h, i) => {
              const isContact = used !== null && h.name === used;
              const isNear = !isContact && nearMiss.has(h.name);
              const cls = [isContact ? 'contact-id-row' : '', isNear ? 'near-miss-row' : '', isXHeader(h.name) ? 'x-header' : '']
                .filter(Boolean)
                .join(' ');
              return (
                <tr key={`${i}-${h.name}`} data-testid="header-row" data-header-name={h.name} className={cls || undefined}>
                  <th scope="row">
                    {isXHeader(h.name) && <span className="tag tag-x">X</span>}
                    {h.name}
                  </th>
                  <td>
                    {h.value}
                    {isContact && <span className="tag tag-ok">contact id</span>}
                    {isNear && <span className="tag tag-warn">near miss</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
