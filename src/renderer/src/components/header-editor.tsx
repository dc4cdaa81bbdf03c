import { Collapsible } from 'radix-ui';
import { useState } from 'react';
import type { SipHeader } from '../../../shared/types';

/**
 * The X- headers of an INVITE (what the child script puts with SIPPUTHEADER), editable: name and
 * value per row, add, remove, reset to the profile's. `{contactId}`, `{masterId}`, `{childId}` in a
 * value are replaced by the emulated contact ids when the call is placed.
 */
export function HeaderEditor({
  headers,
  edited,
  onChange,
  onReset,
}: {
  headers: SipHeader[];
  edited: boolean;
  onChange: (h: SipHeader[]) => void;
  onReset: () => void;
}) {
  const [open, setOpen] = useState(false);
  const set = (i: number, patch: Partial<SipHeader>): void => onChange(headers.map((h, j) => (j === i ? { ...h, ...patch } : h)));
  return (
    <Collapsible.Root open={open} onOpenChange={setOpen} className="header-editor wide">
      <Collapsible.Trigger className="link-button" data-testid="edit-headers">
        {open ? '▾' : '▸'} X- headers ({headers.length}){edited ? ', edited' : ', from the profile'}
      </Collapsible.Trigger>
      <Collapsible.Content>
        <p className="muted hint">
          <code>{'{contactId}'}</code>, <code>{'{masterId}'}</code>, <code>{'{childId}'}</code> become the emulated contact ids.
        </p>
        {headers.map((h, i) => (
          <div key={i} className="header-edit-row">
            <input aria-label={`header ${i + 1} name`} data-testid={`header-name-${i}`} value={h.name} spellCheck={false} onChange={(e) => set(i, { name: e.target.value })} />
            <input aria-label={`header ${i + 1} value`} data-testid={`header-value-${i}`} value={h.value} spellCheck={false} onChange={(e) => set(i, { value: e.target.value })} />
            <button type="button" className="small" aria-label={`remove header ${h.name}`} onClick={() => onChange(headers.filter((_, j) => j !== i))}>
              ✕
            </button>
          </div>
        ))}
        <div className="form-actions">
          <button type="button" className="small" data-testid="add-header" onClick={() => onChange([...headers, { name: 'X-', value: '' }])}>
            Add header
          </button>
          {edited && (
            <button type="button" className="small" onClick={onReset}>
              Reset to the profile's
            </button>
          )}
        </div>
      </Collapsible.Content>
    </Collapsible.Root>
  );
}
