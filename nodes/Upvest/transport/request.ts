import {
	NodeApiError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type JsonObject,
} from 'n8n-workflow';

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

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 20_000 };

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'EPIPE',
	'ETIMEDOUT',
	'EAI_AGAIN',
	'ENOTFOUND',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

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

function describeFailure(error: unknown): AttemptFailure {
	// httpRequestWithAuthentication wraps the axios error in a NodeApiError; the axios error is its cause.
	const outer = error as { cause?: unknown; message?: string; code?: string };
	const axiosError = (outer.cause ?? outer) as {
		code?: string;
		message?: string;
		response?: { status?: number; headers?: unknown; data?: unknown };
	};
	const response = axiosError.response;
	if ((axiosError as Error).name === 'UpvestCredentialError') {
		return { credentialProblem: true, message: axiosError.message ?? 'The Upvest credential is not usable' };
	}
	if (response?.status === undefined) {
		const networkCode = axiosError.code ?? outer.code;
		return {
			networkCode,
			message: axiosError.message ?? outer.message ?? 'Network error',
		};
	}
	let problem: IDataObject | undefined;
	if (response.data !== null && typeof response.data === 'object' && !Buffer.isBuffer(response.data)) {
		problem = response.data as IDataObject;
	} else if (typeof response.data === 'string' && response.data.trim().startsWith('{')) {
		try {
			problem = JSON.parse(response.data) as IDataObject;
		} catch {
			problem = undefined;
		}
	}
	return {
		statusCode: response.status,
		problem,
		retryAfterMs: parseRetryAfter(header(response.headers, 'retry-after')),
		requestId:
			(typeof problem?.request_id === 'string' ? problem.request_id : undefined) ??
			header(response.headers, 'upvest-request-id'),
		message: `HTTP ${response.status}`,
	};
}

function isRetryable(failure: AttemptFailure): boolean {
	if (failure.statusCode !== undefined) return RETRYABLE_STATUS.has(failure.statusCode);
	if (failure.credentialProblem) return false;
	// No response at all: the connection broke. The idempotency key makes a resend safe.
	return (
		(failure.networkCode !== undefined && RETRYABLE_NETWORK_CODES.has(failure.networkCode)) ||
		/socket hang up|network|timeout/i.test(failure.message)
	);
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
	const description = [detail, failure.requestId ? `Upvest request ID: ${failure.requestId}` : undefined]
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
	options: { baseUrl: string; idempotencyKey: string; itemIndex: number; policy: RetryPolicy; throttle: RequestThrottle },
): Promise<IDataObject> {
	const body = Buffer.from(JSON.stringify(request.body), 'utf8');
	for (let attempt = 1; ; attempt++) {
		await options.throttle.wait();
		let failure: AttemptFailure;
		try {
			return (await this.helpers.httpRequestWithAuthentication.call(this, UPVEST_CREDENTIAL_TYPE, {
				method: request.method,
				url: `${options.baseUrl}${request.path}`,
				headers: {
					accept: 'application/json',
					'content-type': 'application/json',
					'idempotency-key': options.idempotencyKey,
				},
				body,
				json: true,
			})) as IDataObject;
		} catch (error) {
			failure = describeFailure(error);
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
