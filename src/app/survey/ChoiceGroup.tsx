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

/** Radio buttons drawn as big tappable segments: gloves and sunlight are the norm outdoors. */
export function ChoiceGroup<T extends string | number>({ legend, name, options, value, onChange, error }: Props<T>) {
  return (
    <fieldset class="field" aria-invalid={error ? true : undefined}>
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
