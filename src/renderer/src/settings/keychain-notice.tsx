import type { KeychainStatus } from '../../../shared/contract';

/** Where secrets go, or why they cannot be kept (then nothing is stored in their place). */
export function KeychainNotice({ keychain }: { keychain: KeychainStatus }) {
  return (
    <div
      className={keychain.available ? 'banner-inline banner-ok' : 'banner-inline banner-warn'}
      role={keychain.available ? 'status' : 'alert'}
      data-testid="keychain-notice"
      data-available={keychain.available ? 'true' : 'false'}
    >
      <strong>{keychain.available ? `OS keychain: ${keychain.backend}` : 'No OS keychain'}</strong>
      <span>{keychain.message}</span>
    </div>
  );
}

/** A write-only secret field: never shows a value, says whether one is set, disabled without a keychain. */
export function SecretField({
  label,
  testId,
  isSet,
  value,
  onChange,
  keychain,
  clear,
  onClear,
}: {
  label: string;
  testId: string;
  isSet: boolean;
  value: string;
  onChange: (v: string) => void;
  keychain: KeychainStatus;
  clear: boolean;
  onClear: (v: boolean) => void;
}) {
  return (
    <label className="secret-field">
      <span>
        {label} <span className={isSet ? 'tag tag-ok' : 'tag tag-warn'} data-testid={`${testId}-state`}>{isSet ? 'set' : 'not set'}</span>
      </span>
      <input
        type="password"
        autoComplete="off"
        data-testid={testId}
        value={value}
        disabled={!keychain.available}
        placeholder={!keychain.available ? 'no keychain: cannot be stored' : isSet ? 'set — type to replace' : 'not set'}
        onChange={(e) => onChange(e.target.value)}
      />
      {isSet && (
        <span className="check small-check">
          <input type="checkbox" checked={clear} onChange={(e) => onClear(e.target.checked)} aria-label={`delete the ${label}`} /> delete it
        </span>
      )}
    </label>
  );
}
