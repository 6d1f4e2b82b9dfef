import { ROLES, ROLE_LABELS, type CommuneRef, type Role } from '../../domain/account.ts';
import { CommunePicker } from './CommunePicker.tsx';

export interface Scope {
  role: Role;
  communes: CommuneRef[];
  departement: string;
}

interface Props {
  idPrefix: string;
  scope: Scope;
  onChange(scope: Scope): void;
  /** Why the role may not change (an admin's own account), shown instead of the choice. */
  roleLocked?: string;
}

/** Role, then what goes with it: an agent's communes, a reviewer's département. */
export function ScopeFields({ idPrefix, scope, onChange, roleLocked }: Props) {
  return (
    <>
      <div class="field">
        <label for={`${idPrefix}-role`}>Rôle</label>
        <select
          id={`${idPrefix}-role`}
          value={scope.role}
          disabled={roleLocked !== undefined}
          {...(roleLocked && { 'aria-describedby': `${idPrefix}-role-locked` })}
          onChange={(event) => onChange({ ...scope, role: event.currentTarget.value as Role })}
        >
          {ROLES.map((value) => (
            <option key={value} value={value}>
              {ROLE_LABELS[value]}
            </option>
          ))}
        </select>
        {roleLocked && (
          <p class="hint" id={`${idPrefix}-role-locked`}>
            {roleLocked}
          </p>
        )}
      </div>
      {scope.role === 'agent' && <CommunePicker idPrefix={idPrefix} selected={scope.communes} onChange={(communes) => onChange({ ...scope, communes })} />}
      {scope.role === 'reviewer' && (
        <div class="field">
          <label for={`${idPrefix}-departement`}>Département (code)</label>
          <input
            id={`${idPrefix}-departement`}
            type="text"
            maxLength={3}
            placeholder="ex. 34"
            value={scope.departement}
            onInput={(event) => onChange({ ...scope, departement: event.currentTarget.value })}
          />
        </div>
      )}
    </>
  );
}

/** What the form can say before the server does; undefined when the scope is complete. */
export function scopeProblem(scope: Scope): string | undefined {
  if (scope.role === 'agent' && scope.communes.length === 0) return 'Choisissez au moins une commune pour un agent.';
  if (scope.role === 'reviewer' && !scope.departement.trim()) return 'Indiquez le département de l’instructeur (ex. 34).';
  return undefined;
}

/** The scope as POST and PATCH /api/v1/users take it. */
export function scopeBody(scope: Scope): { role: Role; communes?: string[]; departement?: string } {
  return {
    role: scope.role,
    ...(scope.role === 'agent' && { communes: scope.communes.map((commune) => commune.code) }),
    ...(scope.role === 'reviewer' && { departement: scope.departement.trim().toUpperCase() }),
  };
}
