import {
	NodeApiError,
	sleep,
	type ICredentialsDecrypted,
	type IDataObject,
	type IHttpRequestMethods,
	type IN8nHttpFullResponse,
} from 'n8n-workflow';

import { discardAccessToken, readAccessToken } from './accessToken';
import { validateCredentials } from './authentication';
import { UPVEST_CREDENTIAL_TYPE } from './credentials';
import { toNodeApiError, type AttemptFailure, type StatusAdvice } from './errors';
import { serializeQuery } from './query';
import type { UpvestFunctions } from './context';

/** One call to the Upvest API, relative to the credential's base URL. */
export interface UpvestRequest {
	method: IHttpRequestMethods;
	/** e.g. `/account_groups/{id}`, already encoded. */
	path: string;
	query?: IDataObject;
	/** Sent as JSON, the exact bytes that are signed. */
	body?: IDataObject;
}

export interface RetryPolicy {
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 5,
	baseDelayMs: 250,
	maxDelayMs: 20_000,
};

export interface UpvestRequestOptions {
	/** The decrypted credential shared by a run: decrypted once, refreshed tokens land in it. */
	credentials?: ICredentialsDecrypted;
	/** Set for POST and PATCH calls Upvest deduplicates; every attempt carries the same key. */
	idempotencyKey?: string;
	/** Named in messages as `[item N]`. */
	itemIndex?: number;
	policy?: RetryPolicy;
	throttle?: RequestThrottle;
	/** Scopes any of which allows the call, smallest first: a 403 then says which one to add. */
	scopes?: readonly string[];
	/** What to tell the user for a status where Upvest's answer alone would mislead. */
	advice?: Partial<Record<number, StatusAdvice>>;
	/**
	 * For a create without an idempotency key: called before resending after a failure that may
	 * have reached Upvest (a broken connection, a 5xx). What it returns (the resource the failed
	 * attempt created after all) is the answer, and nothing is sent again.
	 */
	beforeResend?: () => Promise<IDataObject | undefined>;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/**
 * Shared by all items of one execution: a 429 pauses every sender, so a busy API sees the
 * whole batch slow down instead of each item hammering it on its own schedule.
 */
export class RequestThrottle {
	private resumeAt = 0;

	pauseFor(delayMs: number): void {
		this.resumeAt = Math.max(this.resumeAt, Date.now() + delayMs);
	}

	async wait(): Promise<void> {
		for (let delay = this.resumeAt - Date.now(); delay > 0; delay = this.resumeAt - Date.now()) {
			await sleep(delay);
		}
	}
}

function header(headers: unknown, name: string): string | undefined {
	if (headers === null || typeof headers !== 'object') return undefined;
	const value = (headers as IDataObject)[name];
	return value === undefined || value === null ? undefined : String(value);
}

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function parseProblem(data: unknown): IDataObject | undefined {
	if (data !== null && typeof data === 'object' && !Buffer.isBuffer(data))
		return data as IDataObject;
	const text = Buffer.isBuffer(data) ? data.toString('utf8') : typeof data === 'string' ? data : '';
	if (!text.trim().startsWith('{')) return undefined;
	try {
		return JSON.parse(text) as IDataObject;
	} catch {
		return undefined;
	}
}

/** A non-2xx answer, read from the full response (headers included, for Retry-After). */
function describeResponse(response: IN8nHttpFullResponse): AttemptFailure {
	const problem = parseProblem(response.body);
	return {
		statusCode: response.statusCode,
		problem,
		retryAfterMs: parseRetryAfter(header(response.headers, 'retry-after')),
		requestId:
			(typeof problem?.request_id === 'string' ? problem.request_id : undefined) ??
			header(response.headers, 'upvest-request-id'),
		message: `HTTP ${response.statusCode}`,
	};
}

const NETWORK_FAILURE =
	/ECONNRESET|ECONNREFUSED|ECONNABORTED|EPIPE|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|socket hang up|timeout|closed unexpectedly|refused the connection/i;

/**
 * A thrown request. n8n wraps it in a NodeApiError that keeps the status (httpCode), the parsed
 * body (context.data) and the original message (messages), but not the axios error itself.
 */
function describeThrown(error: unknown): AttemptFailure {
	const wrapped = error as NodeApiError & { messages?: string[] };
	const statusCode = Number(wrapped.httpCode);
	if (Number.isInteger(statusCode) && statusCode >= 400) {
		const problem = parseProblem(wrapped.context?.data);
		return {
			statusCode,
			problem,
			requestId: typeof problem?.request_id === 'string' ? problem.request_id : undefined,
			message: `HTTP ${statusCode}`,
		};
	}
	const texts = [wrapped.message, ...(wrapped.messages ?? [])].filter(
		(text) => typeof text === 'string',
	);
	const network = texts.find((text) => NETWORK_FAILURE.test(text));
	if (network !== undefined) {
		return { networkCode: NETWORK_FAILURE.exec(network)?.[0], message: network };
	}
	// Raised before anything was sent: the credential could not sign, get a token, or refused the URL.
	return {
		credentialProblem: true,
		message: wrapped.message ?? 'The Upvest credential could not be used',
	};
}

function isRetryable(failure: AttemptFailure): boolean {
	if (failure.statusCode !== undefined) return RETRYABLE_STATUS.has(failure.statusCode);
	// No response at all: the connection broke. The idempotency key makes a resend safe.
	return failure.networkCode !== undefined;
}

export function backoffDelay(attempt: number, policy: RetryPolicy, random = Math.random): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** The node's own credential, decrypted, in the form n8n's request helper accepts. */
export async function decryptCredentials(this: UpvestFunctions): Promise<ICredentialsDecrypted> {
	const data = await this.getCredentials(UPVEST_CREDENTIAL_TYPE);
	const reference = this.getNode().credentials?.[UPVEST_CREDENTIAL_TYPE];
	return {
		id: reference?.id ?? '',
		name: reference?.name ?? '',
		type: UPVEST_CREDENTIAL_TYPE,
		data,
	};
}

/**
 * Sends one signed Upvest request and returns the parsed answer (`{}` when it has no body).
 * 429, 5xx and broken connections are retried with exponential backoff and jitter; every attempt
 * carries the same idempotency key and body bytes and is signed afresh by the credential. A 401
 * fetches a new access token once, shared with every request that failed with the same token.
 * Failures are NodeApiErrors carrying Upvest's status, title, detail and request ID.
 */
export async function upvestApiRequest(
	this: UpvestFunctions,
	request: UpvestRequest,
	options: UpvestRequestOptions = {},
): Promise<IDataObject> {
	const credentials = options.credentials ?? (await decryptCredentials.call(this));
	const credentialData = credentials.data ?? {};
	const { baseUrl } = validateCredentials(credentialData);
	const policy = options.policy ?? DEFAULT_RETRY_POLICY;
	const throttle = options.throttle ?? new RequestThrottle();
	const query = serializeQuery(request.query);
	const url = `${baseUrl}${request.path}${query === '' ? '' : `?${query}`}`;
	const body =
		request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body), 'utf8');
	const headers: IDataObject = { accept: 'application/json' };
	if (body !== undefined) headers['content-type'] = 'application/json';
	if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;

	let tokenRefreshed = false;
	for (let attempt = 1; ; attempt++) {
		await throttle.wait();
		const tokenSent = readAccessToken(credentialData);
		let failure: AttemptFailure;
		try {
			const response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				UPVEST_CREDENTIAL_TYPE,
				{
					method: request.method,
					url,
					headers: { ...headers },
					body,
					json: true,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
				},
				{ credentialsDecrypted: credentials },
			)) as IN8nHttpFullResponse;
			if (response.statusCode < 300) return toObject(response.body);
			failure = describeResponse(response);
		} catch (error) {
			failure = describeThrown(error);
		}
		if (failure.statusCode === 401 && !tokenRefreshed) {
			// Upvest rejected the token (expired or revoked). Emptying it makes n8n fetch a new one
			// before the resend; requests that failed with the same token share that one fetch.
			// The refresh is not one of Max Attempts.
			tokenRefreshed = true;
			if (readAccessToken(credentialData) === tokenSent) discardAccessToken(credentialData);
			attempt--;
			continue;
		}
		if (!isRetryable(failure) || attempt >= policy.maxAttempts) {
			throw toNodeApiError(this, failure, attempt, {
				...options,
				credentialData,
				body: request.body,
			});
		}
		const delay = failure.retryAfterMs ?? backoffDelay(attempt, policy);
		const wait = Math.min(delay, policy.maxDelayMs);
		if (failure.statusCode === 429) throttle.pauseFor(wait);
		await sleep(wait);
		// A 429 was refused before anything happened; anything else may have created already.
		if (options.beforeResend !== undefined && failure.statusCode !== 429) {
			const created = await options.beforeResend();
			if (created !== undefined) return created;
		}
	}
}

/** 202 and 204 answers may have no body; JSON arrays never come back from these endpoints. */
function toObject(body: unknown): IDataObject {
	if (body !== null && typeof body === 'object' && !Buffer.isBuffer(body))
		return body as IDataObject;
	if (typeof body === 'string' && body.trim().startsWith('{')) {
		return parseProblem(body) ?? {};
	}
	return {};
}
