import type * as v from 'valibot';

/**
 * A route's JSON answer, typed by its schema in src/domain/api/ (the one API_ANSWERS lists for
 * the route): a field renamed or retyped there fails to compile in the route. The value is not
 * parsed on each request; the server tests check every answer against the same schema
 * (test/server/fixtures.ts).
 */
export function answer<S extends v.GenericSchema>(_schema: S, value: v.InferOutput<S>): v.InferOutput<S> {
  return value;
}
