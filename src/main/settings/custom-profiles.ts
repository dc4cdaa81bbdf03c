/**
 * Custom vendor profiles (design.md §3 "custom: any header names the user sets"), edited on the
 * Settings screen and kept in the history database's `settings` table (kind `profile`). Built-in
 * profiles are read-only: an edit of one is saved as a custom copy under a new id.
 */
import type { ListedProfile } from '../../shared/contract';
import type { VendorProfile } from '../../shared/profile';
import type { HistoryStore } from '../history/store';
import { BUILTIN_PROFILES, listProfiles, parseProfile } from '../profiles';

/** Built-in and custom profiles. */
export class CustomProfiles {
  constructor(private readonly history: HistoryStore) {}

  /** Built-ins first (display order), then custom profiles oldest first; each flagged. */
  all(): ListedProfile[] {
    return [...listProfiles().map((p) => ({ ...p, builtin: true })), ...this.custom().map((p) => ({ ...p, builtin: false }))];
  }

  /**
   * A profile by id, built-in or custom.
   * @throws Error naming the known ids when there is none.
   */
  get(id: string): VendorProfile {
    const p = this.all().find((x) => x.id === id);
    if (!p) throw new Error(`unknown profile ${JSON.stringify(id)}; known profiles: ${this.all().map((x) => x.id).join(', ')}`);
    const { builtin: _builtin, ...profile } = p;
    return profile;
  }

  /**
   * Validates and saves a custom profile (replacing one with the same id).
   * @throws Error listing the bad fields, or when the id is a built-in's.
   */
  save(input: unknown): ListedProfile {
    const r = parseProfile(input);
    if (!r.ok) throw new Error(r.error);
    if (BUILTIN_PROFILES.some((b) => b.id === r.value.id)) {
      throw new Error(`"${r.value.id}" is a built-in profile and cannot be changed: save it under another id`);
    }
    this.history.putSetting('profile', r.value.id, r.value);
    return { ...r.value, builtin: false };
  }

  /**
   * Deletes a custom profile. @returns false when there was none.
   * @throws Error for a built-in id.
   */
  delete(id: string): boolean {
    if (BUILTIN_PROFILES.some((b) => b.id === id)) throw new Error(`"${id}" is a built-in profile and cannot be deleted`);
    return this.history.deleteSetting('profile', id);
  }

  private custom(): VendorProfile[] {
    const out: VendorProfile[] = [];
    for (const row of this.history.listSettings('profile')) {
      const r = parseProfile(row.value);
      if (r.ok && !BUILTIN_PROFILES.some((b) => b.id === r.value.id)) out.push(r.value);
    }
    return out;
  }
}
