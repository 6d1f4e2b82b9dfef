import * as v from 'valibot';
import { badRequest } from '../http-errors.ts';

/** The first message of each field valibot complains about, joined. */
export function issuesMessage(issues: readonly v.BaseIssue<unknown>[]): string {
  const seen = new Set<string>();
  const messages: string[] = [];
  for (const issue of issues) {
    const path = v.getDotPath(issue) ?? '';
    if (seen.has(path)) continue;
    seen.add(path);
    messages.push(path && !issue.message.includes(path) ? `${path} : ${issue.message}` : issue.message);
  }
  return messages.join(' ; ');
}

/**
 * The first issue's message alone: the fields are judged in the order the schema lists them,
 * as src/server/accounts.ts judges the shell's input, and one thing to fix is said at a time.
 * A missing field gets the message its own schema gives a missing value, not the object's.
 */
export function firstIssueMessage(issues: readonly v.BaseIssue<unknown>[], schema?: v.GenericSchema): string {
  const [issue] = issues;
  if (!issue) return '';
  const key = issue.kind === 'schema' && issue.input === undefined ? issue.path?.[0]?.key : undefined;
  const entry = typeof key === 'string' && schema && 'entries' in schema ? (schema.entries as Record<string, v.GenericSchema>)[key] : undefined;
  const missing = entry && v.safeParse(entry, undefined);
  return missing && !missing.success ? missing.issues[0].message : issue.message;
}

export interface BodyRules {
  /** The 400's message when the body is not a JSON object: it shows the shape the route takes. */
  notObject: string;
  /**
   * The fields the route takes: any other is refused by name, quoted « … », before the values
   * are judged (a typo must not be silently dropped). A `v.strictObject` schema says them
   * itself (its entries); absent for a `v.object`, the schema alone decides.
   */
  accepted?: readonly string[];
  /** The wording of that refusal (routes written before this helper differ; tests read them). */
  unknownLabel?: 'Champ inconnu' | 'Champs inconnus';
  /** The schema's issues as the 400's message; {@link issuesMessage} by default. */
  message?: (issues: readonly v.BaseIssue<unknown>[], schema: v.GenericSchema) => string;
}

/** The fields of `body` that the route does not take. */
export function unknownFields(body: object, accepted: readonly string[]): string[] {
  return Object.keys(body).filter((key) => !accepted.includes(key));
}

/** The names quoted « … », so that the fuzz (and a reader) never takes them for the message's words. */
export function quotedNames(names: readonly string[]): string {
  return names.map((name) => `« ${name} »`).join(', ');
}

/** A `v.strictObject`'s fields, in the order it lists them; undefined for any other schema. */
function strictFields(schema: v.GenericSchema): readonly string[] | undefined {
  return schema.type === 'strict_object' && 'entries' in schema ? Object.keys(schema.entries as object) : undefined;
}

/** `body` as a JSON object, or the 400 saying what the route takes. */
export function objectBody(body: unknown, notObject: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest(notObject);
  return body as Record<string, unknown>;
}

/**
 * A request body checked against its schema (src/domain/api/) before the handler uses it:
 * an object, with only the accepted fields, whose values the schema takes; otherwise an
 * HttpError 400 with a French message naming what to fix.
 */
export function parseBody<S extends v.GenericSchema>(body: unknown, schema: S, rules: BodyRules): v.InferOutput<S> {
  const object = objectBody(body, rules.notObject);
  const accepted = rules.accepted ?? strictFields(schema);
  if (accepted) {
    const unknown = unknownFields(object, accepted);
    if (unknown.length > 0) throw badRequest(`${rules.unknownLabel ?? 'Champ inconnu'} : ${quotedNames(unknown)}. Champs acceptés : ${accepted.join(', ')}.`);
  }
  const result = v.safeParse(schema, object);
  if (!result.success) throw badRequest((rules.message ?? issuesMessage)(result.issues, schema));
  return result.output;
}
