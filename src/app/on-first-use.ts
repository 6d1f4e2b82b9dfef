/**
 * `make()` called on the first call of the function returned, and its value kept. For Intl
 * formatters at a module's top level: the page's first one loads the locale's data (~40 ms at
 * CPU ÷4, a third of the first script's evaluation), which the survey's first screen does not
 * need (issue 19).
 */
export function onFirstUse<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => {
    made ??= make();
    return made;
  };
}
