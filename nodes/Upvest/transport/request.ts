import {
	NodeApiError,
	sleep,
	type ICredentialsDecrypted,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IN8nHttpFullResponse,
	type JsonObject,
} from 'n8n-workflow';

import { discardAccessToken } from './authentication';
import { UPVEST_CREDENTIAL_TYPE } from './credentials';

export interface UpvestRequest {
	method: IHttpRequestMethods;
	path: string;
	body: IDataObject;
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

/** What one failed attempt tells us, without the request (its headers hold the token). */
interface AttemptFailure {
	statusCode?: number;
	networkCode?: string;
	problem?: IDataObject;
	retryAfterMs?: number;
	requestId?: string;
	/** The credential itself is unusable (bad key, refused token request): retrying cannot help. */
	credentialProblem?: boolean;
	message: string;
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
	// Raised before anything was sent: the credential could not sign or get a token.
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

function toNodeApiError(
	context: IExecuteFunctions,
	failure: AttemptFailure,
	attempts: number,
	itemIndex: number,
): NodeApiError {
	const problem = failure.problem ?? {};
	const title = typeof problem.title === 'string' ? problem.title : undefined;
	const detail = typeof problem.detail === 'string' ? problem.detail : undefined;
	const tried = attempts > 1 ? ` after ${attempts} attempts` : '';
	const message = failure.credentialProblem
		? `${failure.message} [item ${itemIndex}]`
		: failure.statusCode !== undefined
			? `Upvest answered ${failure.statusCode}${title ? ` ${title}` : ''}${tried} [item ${itemIndex}]`
			: `Could not reach Upvest (${failure.networkCode ?? failure.message})${tried} [item ${itemIndex}]`;
	const description = [
		detail,
		failure.requestId ? `Upvest request ID: ${failure.requestId}` : undefined,
	]
		.filter(Boolean)
		.join(' — ');
	const errorResponse: JsonObject = {
		status: failure.statusCode ?? null,
		title: title ?? null,
		detail: detail ?? null,
		type: typeof problem.type === 'string' ? problem.type : null,
		request_id: failure.requestId ?? null,
		code: failure.networkCode ?? null,
	};
	return new NodeApiError(context.getNode(), errorResponse, {
		message,
		description: description || undefined,
		httpCode: failure.statusCode !== undefined ? String(failure.statusCode) : undefined,
		itemIndex,
	});
}

/**
 * Sends one signed Upvest request, retrying 429/5xx and broken connections with exponential
 * backoff and jitter. Every attempt carries the same idempotency key and body bytes and is
 * signed afresh by the credential.
 */
export async function upvestApiRequest(
	this: IExecuteFunctions,
	request: UpvestRequest,
	options: {
		baseUrl: string;
		/** One decrypted credential for the whole run: n8n refreshes its token in place. */
		credentials: ICredentialsDecrypted;
		idempotencyKey: string;
		itemIndex: number;
		policy: RetryPolicy;
		throttle: RequestThrottle;
	},
): Promise<IDataObject> {
	const body = Buffer.from(JSON.stringify(request.body), 'utf8');
	const credentialData = options.credentials.data ?? {};
	let tokenRefreshed = false;
	for (let attempt = 1; ; attempt++) {
		await options.throttle.wait();
		const tokenSent = credentialData.accessToken;
		let failure: AttemptFailure;
		try {
			const response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				UPVEST_CREDENTIAL_TYPE,
				{
					method: request.method,
					url: `${options.baseUrl}${request.path}`,
					headers: {
						accept: 'application/json',
						'content-type': 'application/json',
						'idempotency-key': options.idempotencyKey,
					},
					body,
					json: true,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
				},
				{ credentialsDecrypted: options.credentials },
			)) as IN8nHttpFullResponse;
			if (response.statusCode < 300) return response.body as IDataObject;
			failure = describeResponse(response);
		} catch (error) {
			failure = describeThrown(error);
		}
		if (failure.statusCode === 401 && !tokenRefreshed) {
			// Upvest rejected the token (expired or revoked). Emptying it makes n8n fetch a new one
			// before the resend; requests that failed with the same token share that one fetch.
			// The refresh is not one of Max Attempts.
			tokenRefreshed = true;
			if (credentialData.accessToken === tokenSent) discardAccessToken(credentialData);
			attempt--;
			continue;
		}
		if (!isRetryable(failure) || attempt >= options.policy.maxAttempts) {
			throw toNodeApiError(this, failure, attempt, options.itemIndex);
		}
		const delay = failure.retryAfterMs ?? backoffDelay(attempt, options.policy);
		const wait = Math.min(delay, options.policy.maxDelayMs);
		if (failure.statusCode === 429) options.throttle.pauseFor(wait);
		await sleep(wait);
	}
}
