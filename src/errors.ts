// One error type per failure family, each with a stable code that the CLI maps to an exit code
// and the controller turns into a condition message. Messages never contain secret values.

export const ErrorFamily = {
  Usage: 'usage',
  Input: 'input',
  Crypto: 'crypto',
  Cluster: 'cluster',
  Provider: 'provider',
  Template: 'template',
} as const;
export type ErrorFamily = (typeof ErrorFamily)[keyof typeof ErrorFamily];

export const ExitCode = {
  Ok: 0,
  Usage: 1,
  Input: 2,
  Crypto: 3,
  Cluster: 4,
} as const;

const brand = Symbol.for('cloak.error');

export interface CloakErrorOptions {
  cause?: unknown;
  /** The file, document, object or key the error is about. */
  subject?: string;
  /** What the user should do about it. */
  hint?: string;
}

export class CloakError extends Error {
  readonly family: ErrorFamily;
  readonly code: string;
  readonly subject: string | undefined;
  readonly hint: string | undefined;
  readonly [brand] = true;

  constructor(family: ErrorFamily, code: string, message: string, options: CloakErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.family = family;
    this.code = code;
    this.subject = options.subject;
    this.hint = options.hint;
  }

  /** The one line the CLI prints: subject, message and the fix. */
  get line(): string {
    const head = this.subject ? `${this.subject}: ${this.message}` : this.message;
    return this.hint ? `${head} (${this.hint})` : head;
  }
}
CloakError.prototype.name = 'CloakError';

export function isCloakError(e: unknown): e is CloakError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[brand] === true;
}

export const usageError = (code: string, message: string, o?: CloakErrorOptions) =>
  new CloakError(ErrorFamily.Usage, code, message, o);
export const inputError = (code: string, message: string, o?: CloakErrorOptions) =>
  new CloakError(ErrorFamily.Input, code, message, o);
export const cryptoError = (code: string, message: string, o?: CloakErrorOptions) =>
  new CloakError(ErrorFamily.Crypto, code, message, o);
export const clusterError = (code: string, message: string, o?: CloakErrorOptions) =>
  new CloakError(ErrorFamily.Cluster, code, message, o);
export const providerError = (code: string, message: string, o?: CloakErrorOptions) =>
  new CloakError(ErrorFamily.Provider, code, message, o);
export const templateError = (code: string, message: string, o?: CloakErrorOptions) =>
  new CloakError(ErrorFamily.Template, code, message, o);

export function exitCodeFor(e: unknown): number {
  if (!isCloakError(e)) return ExitCode.Input;
  switch (e.family) {
    case ErrorFamily.Usage: return ExitCode.Usage;
    case ErrorFamily.Input: return ExitCode.Input;
    case ErrorFamily.Template: return ExitCode.Input;
    case ErrorFamily.Crypto: return ExitCode.Crypto;
    case ErrorFamily.Cluster: return ExitCode.Cluster;
    case ErrorFamily.Provider: return ExitCode.Cluster;
  }
}
