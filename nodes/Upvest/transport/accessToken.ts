/**
 * The access token: the credential's preAuthentication fetches it with a signed client-credentials
 * request (retried on 429, 5xx and network errors), shares one token per API client in this
 * process, and never hands out a token Upvest rejected or one that may be as old.
 */
import { createHash } from 'node:crypto';
import {
	sleep,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHttpRequestHelper,
	type IN8nHttpFullResponse,
} from 'n8n-workflow';

import { buildSignedTokenRequest, credentialState, type CredentialState } from './authentication';
import { UpvestCredentialError, type UpvestCredentials } from './credentials';

const TOKEN_ATTEMPTS = 4;

interface TokenResponse {
	access_token?: string;
	expires_in?: number;
}

interface CachedToken {
	accessToken: string;
	/** Handed to other callers until then: before it expires, with time left to send a request. */
	shareUntil: number;
	/** Tokens known to be older than this one: fetched before it here, or rejected before it was fetched. */
	supersedes: Set<string>;
}

interface TokenFetch {
	token: Promise<CachedToken>;
	supersedes: Set<string>;
}

/**
 * A cached token is handed out only while more than this (at most a quarter of its lifetime) is
 * left: a busy worker may take a while to send the request it signs with it.
 */
const SHARE_RESERVE_MS = 60_000;

/** How many superseded tokens a cached token remembers; an older one counts as unknown. */
const SUPERSEDED_KEPT = 32;

/**
 * Tokens fetched by this process, per client. When several requests in flight see the same
 * expired token, the first refresh is shared instead of each fetching its own. In n8n's queue
 * mode other processes (workers) store their tokens in the same credential, so a rejected token
 * may be one this process never fetched: only a token known to be newer is handed out for it.
 */
const latestTokens = new Map<string, CachedToken>();
const tokenFetches = new Map<string, TokenFetch>();
/** The token Upvest rejected, per credential object whose token field was emptied for it. */
const rejectedTokens = new WeakMap<ICredentialDataDecryptedObject, string>();

function clientCacheKey(credentials: UpvestCredentials): string {
	return createHash('sha256')
		.update(
			[
				credentials.baseUrl,
				credentials.clientId,
				credentials.clientSecret,
				credentials.keyId,
				credentials.scopes,
			].join('\0'),
		)
		.digest('base64');
}

function problemDetail(body: unknown): string {
	if (body !== null && typeof body === 'object') {
		const problem = body as IDataObject;
		return [problem.title, problem.detail].filter((part) => typeof part === 'string').join(': ');
	}
	return typeof body === 'string' ? body.slice(0, 200) : '';
}

/** Says which credential field Upvest's answer points at, where it allows telling. */
export function explainTokenFailure(statusCode: number, body: unknown): string {
	const detail = problemDetail(body);
	const said = detail === '' ? `HTTP ${statusCode}` : `HTTP ${statusCode}, ${detail}`;
	const lower = detail.toLowerCase();
	let fix: string;
	if (lower.includes('client id') || lower.includes('unknown client')) {
		fix = 'Check the Client ID.';
	} else if (lower.includes('secret')) {
		fix = 'Check the Client Secret.';
	} else if (lower.includes('signature')) {
		fix =
			"Check the Private Key, its Passphrase and the Key ID: the Key ID must be the one Upvest issued for this key's public half.";
	} else if (lower.includes('scope')) {
		fix = 'Check the Scopes: request only scopes Upvest enabled for this client.';
	} else if (statusCode === 401 || statusCode === 403) {
		fix = 'Check the Client ID, Client Secret, Private Key, Passphrase and Key ID.';
	} else if (statusCode === 404) {
		fix = 'Check the Environment and Base URL.';
	} else {
		fix = 'Try again later; if it persists, contact Upvest with the request ID.';
	}
	return `Upvest refused the access token request (${said}). ${fix}`;
}

const RETRYABLE_TOKEN_STATUS = new Set([429, 500, 502, 503, 504]);

async function fetchToken(
	helper: IHttpRequestHelper,
	state: CredentialState,
): Promise<CachedToken> {
	const { credentials } = state;
	for (let attempt = 1; ; attempt++) {
		let response: IN8nHttpFullResponse | undefined;
		let networkError: string | undefined;
		const request = buildSignedTokenRequest(state);
		try {
			response = (await helper.helpers.httpRequest({
				...request,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				json: true,
				// The form body carries the client secret: never re-send it to where a redirect points.
				disableFollowRedirect: true,
			})) as IN8nHttpFullResponse;
		} catch (error) {
			networkError = (error as Error).message;
		}
		const statusCode = response?.statusCode ?? 0;
		const body = response?.body as TokenResponse | undefined;
		if (statusCode === 200 && typeof body?.access_token === 'string' && body.access_token !== '') {
			const lifetime = typeof body.expires_in === 'number' ? body.expires_in : 0;
			return {
				accessToken: body.access_token,
				shareUntil: Date.now() + lifetime * 1000 - Math.min(SHARE_RESERVE_MS, lifetime * 250),
				supersedes: new Set(),
			};
		}
		const retryable = networkError !== undefined || RETRYABLE_TOKEN_STATUS.has(statusCode);
		if (!retryable || attempt >= TOKEN_ATTEMPTS) {
			throw new UpvestCredentialError(
				networkError !== undefined
					? `Upvest at ${credentials.baseUrl} did not answer the access token request. Check the Environment and Base URL, and that the service is up.`
					: statusCode === 200
						? 'Upvest answered the access token request without an access_token.'
						: explainTokenFailure(statusCode, response?.body),
			);
		}
		await sleep(250 * 2 ** (attempt - 1));
	}
}

/** The access token n8n stored in the credential, or '' before the first fetch. */
export function readAccessToken(data: ICredentialDataDecryptedObject): string {
	return typeof data.accessToken === 'string' ? data.accessToken : '';
}

/**
 * Marks the credential's token as rejected by Upvest: n8n fetches a new one before the next
 * request (its preAuthentication runs when the token field is empty), and no caller is handed
 * the rejected token again.
 */
export function discardAccessToken(data: ICredentialDataDecryptedObject): void {
	const rejected = readAccessToken(data);
	for (const [key, token] of latestTokens)
		if (token.accessToken === rejected) latestTokens.delete(key);
	if (rejected !== '') rejectedTokens.set(data, rejected);
	data.accessToken = '';
}

/** `supersedes` plus `more`, the newest SUPERSEDED_KEPT of them. */
function withSuperseded(supersedes: Set<string>, ...more: string[]): Set<string> {
	const all = [...supersedes, ...more.filter((token) => token !== '')];
	return new Set(all.slice(-SUPERSEDED_KEPT));
}

/** The credential's preAuthentication: a signed client-credentials token request. */
export async function fetchAccessToken(
	this: IHttpRequestHelper,
	data: ICredentialDataDecryptedObject,
): Promise<{ accessToken: string }> {
	const state = credentialState(data);
	const held = readAccessToken(data);
	// What Upvest rejected: the token still in the field (n8n's own 401 handling) or the one
	// discardAccessToken() emptied it of. None for a credential that never had a token.
	const rejected = held !== '' ? held : rejectedTokens.get(data);
	const key = clientCacheKey(state.credentials);
	let pending = tokenFetches.get(key);
	const latest = latestTokens.get(key);
	// Share the newest token unless a refresh is under way or it may be as old as the rejected one.
	if (
		pending === undefined &&
		latest !== undefined &&
		latest.shareUntil > Date.now() &&
		(rejected === undefined || latest.supersedes.has(rejected))
	) {
		return { accessToken: latest.accessToken };
	}
	if (pending === undefined) {
		const supersedes = withSuperseded(latest?.supersedes ?? new Set(), latest?.accessToken ?? '');
		const fetching: TokenFetch = {
			supersedes,
			token: fetchToken(this, state)
				.then((token) => ({ ...token, supersedes: fetching.supersedes }))
				.finally(() => tokenFetches.delete(key)),
		};
		pending = fetching;
		tokenFetches.set(key, pending);
	}
	if (rejected !== undefined) pending.supersedes = withSuperseded(pending.supersedes, rejected);
	const token = await pending.token;
	latestTokens.set(key, token);
	return { accessToken: token.accessToken };
}
