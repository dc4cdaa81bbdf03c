import type { ListedProfile } from '../../../shared/contract';

/** The `<option>`s of a profile `<select>`: one per profile, by name; a placeholder when there is none. */
export function ProfileOptions({ profiles }: { profiles: ListedProfile[] }) {
  if (profiles.length === 0) return <option value="">(no profiles)</option>;
  return (
    <>
      {profiles.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name}
        </option>
      ))}
    </>
  );
}
