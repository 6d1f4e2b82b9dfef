interface Option<T> {
  value: T;
  label: string;
}

interface Props<T> {
  legend: string;
  name: string;
  options: readonly Option<T>[];
  value: T | undefined;
  onChange: (value: T) => void;
  error?: string | undefined;
}

/** The id of a ChoiceGroup's fieldset, for an error summary to lead to it. */
export const choiceGroupId = (name: string) => `${name}-field`;

/** Radio buttons drawn as big tappable segments: gloves and sunlight are the norm outdoors. */
export function ChoiceGroup<T extends string | number>({ legend, name, options, value, onChange, error }: Props<T>) {
  return (
    <fieldset id={choiceGroupId(name)} class="field" aria-invalid={error ? true : undefined}>
      <legend>{legend}</legend>
      <div class="segmented">
        {options.map((option) => (
          <label key={option.value}>
            <input type="radio" name={name} value={String(option.value)} checked={value === option.value} onChange={() => onChange(option.value)} />
            <span>{option.label}</span>
          </label>
        ))}
      </div>
      {error && <p class="error">{error}</p>}
    </fieldset>
  );
}
