import { describe, expect, it } from 'vitest';
import { classifyKeychainError, KeychainError, keychainBackend } from '../../../src/main/secrets/keychain';

describe('classifyKeychainError', () => {
  it.each([
    ['Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, set your DBUS_SESSION_BUS_ADDRESS instead', 'no-session-bus'],
    ['Platform failure: DBus error: Failed to connect to socket /nonexistent: No such file or directory', 'no-session-bus'],
    ['Platform failure: DBus error: The name org.freedesktop.secrets was not provided by any .service files', 'no-secret-service'],
    ["Couldn't access platform storage: Secret Service: unlock prompt was dismissed", 'locked'],
    ['Something else entirely', 'error'],
  ])('%s → %s', (raw, problem) => {
    const k = classifyKeychainError(new Error(raw), 'reading sip:a@b');
    expect(k).toBeInstanceOf(KeychainError);
    expect(k.problem).toBe(problem);
    expect(k.message).toContain('sip:a@b');
  });

  it('names the platform store', () => {
    expect(keychainBackend('darwin')).toBe('macOS Keychain');
    expect(keychainBackend('win32')).toBe('Windows Credential Manager');
    expect(keychainBackend('linux')).toBe('Secret Service (D-Bus)');
  });
});
