/**
 * Whether `value` is one of `list`'s members: narrows a text (a query parameter, a JSON field)
 * to the list's literal union without a cast.
 */
export function isOneOf<T extends string | number>(list: readonly T[], value: unknown): value is T {
  return list.some((member) => member === value);
}
