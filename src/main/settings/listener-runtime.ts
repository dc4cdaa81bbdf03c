/**
 * The SIP listeners of the settings, live: each enabled one is a SIP endpoint whose calls the app
 * answers as the bot (design.md §2, mode 1), so that a user can point CXone's pseudo number at it.
 * Saving a listener restarts it; deleting or disabling one stops it. A listener that cannot start
 * (port taken, no TLS certificate…) shows its error instead of failing the save.
 */
import type { SipListenerView } from '../../shared/contract';
import type { ListenerInfo } from '../../shared/types';
import type { ListenerStored } from './schemas';

/** A started listener: its address, and how to stop it. */
export interface RunningListener {
  listener: ListenerInfo;
  stop(): Promise<void>;
}

/** Starts the endpoint of one listener setting (the Lab wires a bot agent to it). @throws when it cannot bind. */
export type ListenerStarter = (setting: ListenerStored) => Promise<RunningListener>;

interface Slot {
  setting: ListenerStored;
  running: RunningListener | null;
  error: string | null;
}

/** The running listeners of the settings, by id. */
export class ListenerRuntime {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly start: ListenerStarter) {}

  /**
   * Brings one listener in line with its setting: stops what runs under that id, then starts it
   * when enabled. Never throws: a failure is kept as the listener's error.
   */
  async apply(setting: ListenerStored): Promise<SipListenerView> {
    await this.stopOne(setting.id);
    const slot: Slot = { setting, running: null, error: null };
    this.slots.set(setting.id, slot);
    if (setting.enabled) {
      try {
        slot.running = await this.start(setting);
      } catch (e) {
        slot.error = (e as Error).message;
      }
    }
    return view(slot);
  }

  /** Stops and forgets a listener. */
  async remove(id: string): Promise<void> {
    await this.stopOne(id);
    this.slots.delete(id);
  }

  /** Every listener of the settings with its state, in the order given. */
  views(settings: readonly ListenerStored[]): SipListenerView[] {
    return settings.map((s) => {
      const slot = this.slots.get(s.id);
      return slot ? view(slot) : { ...s, status: 'stopped', uri: null, error: null };
    });
  }

  /** The addresses of the running listeners. */
  running(): ListenerInfo[] {
    return [...this.slots.values()].flatMap((s) => (s.running ? [s.running.listener] : []));
  }

  /** Stops every listener. */
  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.slots.keys()].map((id) => this.stopOne(id)));
    this.slots.clear();
  }

  private async stopOne(id: string): Promise<void> {
    const slot = this.slots.get(id);
    if (!slot?.running) return;
    const r = slot.running;
    slot.running = null;
    await r.stop().catch(() => {});
  }
}

function view(slot: Slot): SipListenerView {
  return {
    ...slot.setting,
    status: slot.running ? 'listening' : slot.error ? 'error' : 'stopped',
    uri: slot.running?.listener.uri ?? null,
    error: slot.error,
  };
}
