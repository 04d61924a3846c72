/**
 * A failed Upvest call as an error a user can act on: the status and Upvest's problem details
 * (title, detail, request ID), the item, and the fix, with no personal data the request carried.
 */
import {
	NodeApiError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type JsonObject,
} from 'n8n-workflow';

import { requestedScopes } from './credentials';
import type { UpvestFunctions } from './context';
import { isUuid } from './uuid';

/** What one failed attempt tells us, without the request (its headers hold the token). */
export interface AttemptFailure {
	statusCode?: number;
	networkCode?: string;
	problem?: IDataObject;
	retryAfterMs?: number;
	requestId?: string;
	/** The credential itself is unusable (bad key, refused token request): retrying cannot help. */
	credentialProblem?: boolean;
	message: string;
}

/** What an operation tells the user for one status, where Upvest's answer alone would mislead. */
export interface StatusAdvice {
	/** Added to the message, e.g. "only business roles can be deactivated". */
	reason: string;
	/** What to do about it. */
	fix: string;
}

export interface ErrorContext {
	itemIndex?: number;
	/** Scopes any of which allows the call, smallest first. */
	scopes?: readonly string[];
	/** Per status; a 403's advice applies only when the credential has the scope. */
	advice?: Partial<Record<number, StatusAdvice>>;
	credentialData: ICredentialDataDecryptedObject;
	/** The request's body: its texts are redacted from Upvest's answer. */
	body?: IDataObject;
}

/**
 * The advice for a 403. Upvest refuses calls whose scope the token lacks; but when the credential
 * asks for the scope, adding it cannot help, and the operation's own advice (or Upvest's detail)
 * is the reason.
 */
function forbiddenAdvice(context: ErrorContext): { reason?: string; fix?: string } {
	const { scopes, credentialData, advice } = context;
	if (scopes === undefined || scopes.length === 0) return {};
	const held = requestedScopes(credentialData);
	const granted = scopes.find((scope) => held.includes(scope));
	if (granted === undefined) {
		const choice =
			scopes.length === 1 ? scopes[0] : `${scopes[0]} (or ${scopes.slice(1).join(', ')})`;
		return {
			fix: `Add ${choice} to the Scopes of the Upvest credential; Upvest must have enabled it for your API client.`,
		};
	}
	return (
		advice?.[403] ?? {
			fix: `The credential already asks for ${granted}, so this is not a missing scope: Upvest refused the call itself.`,
		}
	);
}

/** The error for the last failed attempt of a call. */
export function toNodeApiError(
	context: UpvestFunctions,
	failure: AttemptFailure,
	attempts: number,
	errorContext: ErrorContext,
): NodeApiError {
	const { itemIndex } = errorContext;
	const redact = redactor(errorContext.body);
	const problem = failure.problem ?? {};
	const title = typeof problem.title === 'string' ? redact(problem.title) : undefined;
	const detail = typeof problem.detail === 'string' ? redact(problem.detail) : undefined;
	const status = failure.statusCode;
	const advice =
		status === 403 ? forbiddenAdvice(errorContext) : (errorContext.advice?.[status ?? 0] ?? {});
	const tried = attempts > 1 ? ` after ${attempts} attempts` : '';
	const item = itemIndex === undefined ? '' : ` [item ${itemIndex}]`;
	const reason = advice.reason ? `: ${advice.reason}` : '';
	const message = failure.credentialProblem
		? `${failure.message}${item}`
		: status !== undefined
			? `Upvest answered ${status}${title ? ` ${title}` : ''}${reason}${tried}${item}`
			: `Could not reach Upvest (${failure.networkCode ?? failure.message})${tried}${item}`;
	const description = [
		detail,
		advice.fix,
		failure.requestId ? `Upvest request ID: ${failure.requestId}` : undefined,
	]
		.filter(Boolean)
		.join(' — ');
	const errorResponse: JsonObject = {
		status: status ?? null,
		title: title ?? null,
		detail: detail ?? null,
		type: typeof problem.type === 'string' ? problem.type : null,
		request_id: failure.requestId ?? null,
		code: failure.networkCode ?? null,
	};
	return new NodeApiError(context.getNode(), errorResponse, {
		message,
		description: description || undefined,
		httpCode: status !== undefined ? String(status) : undefined,
		itemIndex,
	});
}

const CODE_LIKE = /^[A-Z0-9_]+$/;
const REGEX_SPECIALS = /[.*+?^${}()|[\]\\]/g;

/** The body's texts that could be personal data: every string but IDs, codes and enum values. */
function personalTexts(value: unknown, into: string[] = []): string[] {
	if (typeof value === 'string') {
		const text = value.trim();
		if (text.length >= 3 && !CODE_LIKE.test(text) && !isUuid(text)) into.push(text);
	} else if (Array.isArray(value)) {
		for (const entry of value) personalTexts(entry, into);
	} else if (value !== null && typeof value === 'object') {
		for (const entry of Object.values(value)) personalTexts(entry, into);
	}
	return into;
}

/**
 * Replaces every text of `body` in a message by `[redacted]` (longest first, any case): an API
 * that echoes what it was sent must not carry personal data into an error.
 */
export function redactor(body: IDataObject | undefined): (text: string) => string {
	const texts = [...new Set(personalTexts(body))].sort((a, b) => b.length - a.length);
	if (texts.length === 0) return (text) => text;
	const pattern = new RegExp(
		texts.map((text) => text.replace(REGEX_SPECIALS, '\\$&')).join('|'),
		'gi',
	);
	return (text) => text.replace(pattern, '[redacted]');
}
