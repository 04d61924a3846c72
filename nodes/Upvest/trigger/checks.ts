/**
 * The vocabulary of a refused delivery: which check failed and a short reason. Checks return
 * results instead of throwing, so the webhook can answer 401 naming the check, and tests can
 * assert on it.
 */

export type CheckName =
	| 'signature-input'
	| 'signature'
	| 'coverage'
	| 'digest'
	| 'freshness'
	| 'component'
	| 'keyid'
	| 'verify-keys'
	| 'replay'
	| 'body';

export interface Failure {
	ok: false;
	check: CheckName;
	/** Short and safe to send back: never key material, secrets or upstream error bodies. */
	reason: string;
	/** For the n8n log only, never the response (e.g. why fetching the verify keys failed). */
	cause?: unknown;
}

export type Result<T> = { ok: true; value: T } | Failure;

export function fail(check: CheckName, reason: string, cause?: unknown): Failure {
	return cause === undefined ? { ok: false, check, reason } : { ok: false, check, reason, cause };
}

export function ok<T>(value: T): { ok: true; value: T } {
	return { ok: true, value };
}
