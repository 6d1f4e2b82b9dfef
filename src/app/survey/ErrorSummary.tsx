import { useEffect } from 'preact/hooks';
import { fieldLabel } from '../../domain/field-labels.ts';
import type { FieldError } from '../../domain/reading.ts';

/** A form's fields in the order it shows them, each with the element that takes the focus for it. */
export type FieldTargets = readonly (readonly [field: string, elementId: string])[];

/**
 * What is wrong with a form, at its top: one line per error, each a button to its field,
 * announced as it appears (role=alert). Errors of fields the form does not show (a
 * reading's position, its id) are listed without a button.
 */
export function ErrorSummary({
  title,
  errors,
  targets,
  focusRequest,
}: {
  title: string;
  errors: readonly FieldError[];
  targets: FieldTargets;
  focusRequest?: number | undefined;
}) {
  const ordered = orderErrors(errors, targets);

  // After a refused save (focusRequest changes), the first field in error takes the focus,
  // not while the person corrects the others.
  useEffect(() => {
    const first = ordered.find((error) => error.target);
    if (focusRequest && first?.target) focusField(first.target);
  }, [focusRequest]);

  if (ordered.length === 0) return null;
  return (
    <div class="error-summary" role="alert">
      <p class="error-summary-title">{title}</p>
      <ul>
        {ordered.map((error, i) => (
          <li key={i}>
            {error.target ? (
              <button type="button" class="link-button" onClick={() => focusField(error.target!)}>
                {error.text}
              </button>
            ) : (
              error.text
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

interface SummaryLine {
  target: string | undefined;
  text: string;
}

/** The form's order, then the rest; each message says which field, in French. */
function orderErrors(errors: readonly FieldError[], targets: FieldTargets): SummaryLine[] {
  const rank = (field: string) => {
    const index = targets.findIndex(([name]) => name === field);
    return index === -1 ? targets.length : index;
  };
  return [...errors]
    .sort((a, b) => rank(a.field) - rank(b.field))
    .map((error) => ({ target: targets.find(([name]) => name === error.field)?.[1], text: namingField(error) }));
}

function namingField({ field, message }: FieldError): string {
  if (!field) return message;
  const label = fieldLabel(field);
  if (message.toLowerCase().includes(label.toLowerCase())) return message;
  return `${label.charAt(0).toUpperCase()}${label.slice(1)} : ${message}`;
}

/** Focuses a field by its element's id: the input itself, or the checked (else first) choice of a group. */
export function focusField(id: string): void {
  const element = document.getElementById(id);
  if (!element) return;
  const input = element.matches('input, select, textarea')
    ? element
    : (element.querySelector<HTMLElement>('input:checked') ?? element.querySelector<HTMLElement>('input, select, textarea'));
  // Centred, so that the sticky header does not cover it.
  element.scrollIntoView({ block: 'center' });
  (input ?? element).focus({ preventScroll: true });
}
