import type { CombinedError } from 'urql';

/** The stable `extensions.code` values of the Heatshield API. Branch on these, never on text. */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'VALIDATION',
  'CONFLICT',
  'GATE_BLOCKED',
  'INVALID_TRANSITION',
  'RATE_LIMITED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One problem to show a person: the server's message and, when given, its code and field. */
export interface Problem {
  message: string;
  code: ErrorCode | 'NETWORK' | 'UNKNOWN';
  field?: string;
  retryAfterSeconds?: number;
  /** GATE_BLOCKED: each unmet criterion, as "gate: criterion (state)". */
  unmet?: string[];
  /** CONFLICT: ids of what is in the way (bookings, a blackout). */
  conflicting?: string[];
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value) : undefined;
}

function asCode(value: unknown): ErrorCode | undefined {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value)
    ? (value as ErrorCode)
    : undefined;
}

/** Every problem carried by an urql error, in order: GraphQL errors first, then the network. */
export function problems(error: CombinedError | null | undefined): Problem[] {
  if (!error) return [];
  const out: Problem[] = error.graphQLErrors.map((e) => {
    const ext = e.extensions as Record<string, unknown> | undefined;
    const p: Problem = { message: e.message, code: asCode(ext?.code) ?? 'UNKNOWN' };
    if (typeof ext?.field === 'string') p.field = ext.field;
    if (typeof ext?.retryAfterSeconds === 'number') p.retryAfterSeconds = ext.retryAfterSeconds;
    const unmet = stringList(ext?.unmet);
    if (unmet) p.unmet = unmet;
    const conflicting = stringList(ext?.conflicting);
    if (conflicting) p.conflicting = conflicting;
    return p;
  });
  if (error.networkError && out.length === 0) {
    const status = httpStatus(error);
    out.push({
      message: status
        ? `The server answered HTTP ${status}. ${error.networkError.message}`
        : `The server could not be reached (${error.networkError.message}).`,
      code: 'NETWORK',
    });
  }
  return out;
}

export function httpStatus(error: CombinedError | null | undefined): number | undefined {
  const response = error?.response as { status?: unknown } | undefined;
  return typeof response?.status === 'number' ? response.status : undefined;
}

export function errorCodes(error: CombinedError | null | undefined): Problem['code'][] {
  return problems(error).map((p) => p.code);
}

export function hasCode(error: CombinedError | null | undefined, code: ErrorCode): boolean {
  return errorCodes(error).includes(code);
}

/**
 * True when the server refused the caller's credentials (expired, revoked, deactivated user):
 * HTTP 401 or any error with code UNAUTHENTICATED.
 */
export function isSessionRefused(error: CombinedError | null | undefined): boolean {
  return httpStatus(error) === 401 || hasCode(error, 'UNAUTHENTICATED');
}

/**
 * VALIDATION errors by the input field they are about (`extensions.field`). The server prefixes
 * its message with the field name ("key: must not be empty"); the prefix is dropped because the
 * message is shown beside that field.
 */
export function fieldErrors(error: CombinedError | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of problems(error)) {
    if (p.code === 'VALIDATION' && p.field) {
      const prefix = `${p.field}: `;
      const message = p.message.startsWith(prefix) ? p.message.slice(prefix.length) : p.message;
      out[p.field] = out[p.field] ? `${out[p.field] ?? ''}; ${message}` : message;
    }
  }
  return out;
}

/** Problems that are not tied to one of the given form fields (shown above the form). */
export function formLevelProblems(
  error: CombinedError | null | undefined,
  formFields: readonly string[],
): Problem[] {
  return problems(error).filter(
    (p) => !(p.code === 'VALIDATION' && p.field && formFields.includes(p.field)),
  );
}
