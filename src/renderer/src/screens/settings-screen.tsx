import { Tabs } from 'radix-ui';
import { useEffect } from 'react';
import { ConnectionsSection } from '../settings/connections-section';
import { KeychainNotice } from '../settings/keychain-notice';
import { ListenersSection } from '../settings/listeners-section';
import { ProfileEditor } from '../settings/profile-editor';
import { TrunksSection } from '../settings/trunks-section';
import { useLab } from '../store';

/** Settings (issue 5 items 6-7): CXone connections, SIP listeners, trunks, vendor profiles; secrets only in the OS keychain. */
export function SettingsScreen() {
  const settings = useLab((s) => s.settings);
  const settingsError = useLab((s) => s.settingsError);
  const profiles = useLab((s) => s.profiles);
  const refresh = useLab((s) => s.refreshSettings);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  if (!settings) return <div className="detail-empty">{settingsError ? <div className="inline-error">settings/get: {settingsError}</div> : <p>Loading settings…</p>}</div>;
  return (
    <div className="screen-scroll settings-screen">
      <KeychainNotice keychain={settings.keychain} />
      {settingsError && <div className="inline-error">settings/get: {settingsError}</div>}
      <Tabs.Root defaultValue="connections" orientation="vertical" className="settings-tabs">
        <Tabs.List className="settings-nav" aria-label="Settings sections">
          <Tabs.Trigger value="connections" className="settings-tab" data-testid="settings-connections">
            CXone connections
          </Tabs.Trigger>
          <Tabs.Trigger value="listeners" className="settings-tab" data-testid="settings-listeners">
            SIP listeners
          </Tabs.Trigger>
          <Tabs.Trigger value="trunks" className="settings-tab" data-testid="settings-trunks">
            Trunks
          </Tabs.Trigger>
          <Tabs.Trigger value="profiles" className="settings-tab" data-testid="settings-profiles">
            Profiles
          </Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="connections" className="settings-pane">
          <ConnectionsSection connections={settings.connections} keychain={settings.keychain} />
        </Tabs.Content>
        <Tabs.Content value="listeners" className="settings-pane">
          <ListenersSection listeners={settings.listeners} profiles={profiles} />
        </Tabs.Content>
        <Tabs.Content value="trunks" className="settings-pane">
          <TrunksSection trunks={settings.trunks} keychain={settings.keychain} />
        </Tabs.Content>
        <Tabs.Content value="profiles" className="settings-pane">
          <ProfileEditor profiles={profiles} />
        </Tabs.Content>
      </Tabs.Root>
    </div>
  );
}
