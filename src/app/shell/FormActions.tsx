interface FormActionsProps {
  /** « Enregistrer », « Créer la zone (3 mailles) »… */
  submitLabel: string;
  /** What the submit button says while the action runs (« Enregistrement… »); unchanged without it. */
  busyLabel?: string;
  busy: boolean;
  /** What « Annuler » does, or where it leads (`cancelHref`, a link); no « Annuler » without either. */
  onCancel?: () => void;
  cancelHref?: string;
  /** `danger` for a submit that hides or removes (« Confirmer le masquage »). */
  tone?: 'primary' | 'danger';
}

/** A form's row of buttons: the submit button, disabled while its action runs, and « Annuler ». */
export function FormActions({ submitLabel, busyLabel, busy, onCancel, cancelHref, tone = 'primary' }: FormActionsProps) {
  return (
    <div class="actions">
      <button type="submit" class={tone} disabled={busy}>
        {busy && busyLabel ? busyLabel : submitLabel}
      </button>
      {onCancel && (
        <button type="button" onClick={onCancel}>
          Annuler
        </button>
      )}
      {cancelHref !== undefined && (
        <a class="button-link" href={cancelHref}>
          Annuler
        </a>
      )}
    </div>
  );
}
