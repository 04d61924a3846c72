import { createHash } from 'node:crypto';
import {
	sleep,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type IN8nHttpFullResponse,
} from 'n8n-workflow';

import { readCredentials, UpvestCredentialError, type UpvestCredentials } from './credentials';
import { serializeQuery } from './query';
import {
	COVERED_HEADERS,
	freshSignatureParameters,
	signRequest,
	type SigningKey,
} from './signature';
import { getSigningKey } from './signingKey';

export const TOKEN_PATH = '/auth/token';
export const UPVEST_API_VERSION = '1';
const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const TOKEN_ATTEMPTS = 4;
const ABSOLUTE_URL = /^https?:\/\//i;

type Headers = Record<string, string>;

/** Headers this module owns; any caller spelling of them is replaced, so a re-sign never duplicates. */
const MANAGED_HEADERS = new Set<string>([
	...COVERED_HEADERS,
	'signature',
	'signature-input',
	'upvest-signature-version',
]);

function lowerCaseHeaders(headers: IDataObject | undefined): Headers {
	const result: Headers = {};
	for (const name in headers) {
		const value = headers[name];
		if (value !== undefined && value !== null) result[name.toLowerCase()] = String(value);
	}
	return result;
}

/**
 * What goes into the request for the signed bytes. n8n's request helper feeds a form-typed body
 * to URLSearchParams, which rejects a Buffer, so form bodies travel as their (ASCII) string;
 * anything else as the Buffer itself, which axios sends untouched.
 */
function wireBody(bytes: Buffer | undefined, contentType: string): Buffer | string | undefined {
	if (bytes === undefined) return undefined;
	return contentType === FORM_TYPE ? bytes.toString('utf8') : bytes;
}

/** Turns any body n8n hands over into the exact bytes to sign and send. */
export function toBodyBytes(body: unknown, contentType: string): Buffer | undefined {
	if (body === undefined || body === null || body === '') return undefined;
	if (Buffer.isBuffer(body)) return body.length > 0 ? body : undefined;
	if (typeof body === 'string') return Buffer.from(body, 'utf8');
	if (typeof (body as URLSearchParams).getAll === 'function')
		return Buffer.from(String(body), 'utf8');
	if (typeof body === 'object') {
		if (Object.keys(body).length === 0) return undefined;
		const text = contentType.includes(FORM_TYPE)
			? serializeQuery(body as IDataObject)
			: JSON.stringify(body);
		return Buffer.from(text, 'utf8');
	}
	return Buffer.from(String(body), 'utf8');
}

interface RequestTarget {
	url: string;
	path: string;
	query: string;
}

interface CredentialState {
	fields: unknown[];
	credentials: UpvestCredentials;
	signingKey: SigningKey;
	/** The last URL signed, parsed: a run sends every item to the same URL. */
	lastTarget?: RequestTarget;
}

const CREDENTIAL_FIELDS = [
	'environment',
	'baseUrl',
	'clientId',
	'clientSecret',
	'keyId',
	'privateKey',
	'passphrase',
	'scopes',
];
const credentialStates = new WeakMap<ICredentialDataDecryptedObject, CredentialState>();

/**
 * Validated credentials and the parsed key, kept per credential object: the node hands n8n one
 * decrypted credential for the whole run, so each request skips validation and key lookup.
 * The access token is not cached: n8n replaces it in place on refresh.
 */
function credentialState(data: ICredentialDataDecryptedObject): CredentialState {
	const cached = credentialStates.get(data);
	if (
		cached !== undefined &&
		CREDENTIAL_FIELDS.every((name, index) => data[name] === cached.fields[index])
	) {
		return cached;
	}
	const credentials = readCredentials(data);
	const signingKey = getSigningKey(
		credentials.privateKey,
		credentials.passphrase,
		credentials.keyId,
	);
	const state = { fields: CREDENTIAL_FIELDS.map((name) => data[name]), credentials, signingKey };
	credentialStates.set(data, state);
	return state;
}

/**
 * The request's path and query, once the URL is known to lead to the credential's own base URL:
 * the bearer token and a signature valid for the path must never reach another host, where they
 * could be replayed to Upvest while the signature lives.
 */
function parseTarget(state: CredentialState, url: string): RequestTarget {
	if (state.lastTarget?.url === url) return state.lastTarget;
	const { baseUrl } = state.credentials;
	let parsed: URL | undefined;
	try {
		parsed = new URL(url);
	} catch {
		parsed = undefined;
	}
	const base = new URL(baseUrl);
	const basePath = base.pathname.replace(/\/+$/, '');
	const sameOrigin =
		parsed !== undefined &&
		parsed.protocol === base.protocol &&
		parsed.host === base.host &&
		parsed.username === '' &&
		parsed.password === '' &&
		(basePath === '' || parsed.pathname === basePath || parsed.pathname.startsWith(`${basePath}/`));
	if (parsed === undefined || !sameOrigin) {
		const shown = parsed === undefined ? 'an invalid URL' : `${parsed.protocol}//${parsed.host}`;
		throw new UpvestCredentialError(
			`The Upvest credential signs only requests to its own base URL ${baseUrl}, and this request goes to ${shown}: nothing was sent. Use a URL that starts with ${baseUrl}, or choose the credential's Environment that matches it.`,
		);
	}
	state.lastTarget = { url, path: parsed.pathname, query: parsed.search.slice(1) };
	return state.lastTarget;
}

/** Checks every credential field and parses the key, so a bad credential fails before any item is sent. */
export function validateCredentials(data: ICredentialDataDecryptedObject): UpvestCredentials {
	return credentialState(data).credentials;
}

interface SignedRequestInput {
	method: string;
	path: string;
	query: string;
	headers: Headers;
	body?: Buffer;
}

/** Builds the headers for one attempt: fresh created/expires/nonce every time. */
function signedHeaders(state: CredentialState, request: SignedRequestInput): Headers {
	// request.headers is built fresh by every caller: complete it in place rather than copying.
	const { headers } = request;
	headers['upvest-api-version'] = UPVEST_API_VERSION;
	headers['upvest-client-id'] = state.credentials.clientId;
	return signRequest(request, state.signingKey, freshSignatureParameters(), headers);
}

function buildSignedTokenRequest(state: CredentialState): IHttpRequestOptions {
	const { credentials } = state;
	const form = serializeQuery({
		client_id: credentials.clientId,
		client_secret: credentials.clientSecret,
		grant_type: 'client_credentials',
		scope: credentials.scopes,
	});
	const body = Buffer.from(form, 'utf8');
	const headers = signedHeaders(state, {
		method: 'POST',
		path: new URL(credentials.baseUrl).pathname.replace(/\/+$/, '') + TOKEN_PATH,
		query: '',
		headers: { accept: JSON_TYPE, 'content-type': FORM_TYPE },
		body,
	});
	return {
		method: 'POST',
		url: `${credentials.baseUrl}${TOKEN_PATH}`,
		headers,
		body: wireBody(body, FORM_TYPE),
	};
}

/**
 * The credential's authenticate function: adds the bearer token and signs whatever request
 * n8n is about to send (our node's, the HTTP Request node's, or the credential test).
 */
export function signUpvestRequest(
	data: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): IHttpRequestOptions {
	const state = credentialState(data);
	const options = requestOptions as IHttpRequestOptions & { uri?: string; form?: IDataObject };
	let url = options.uri ?? options.url ?? '';
	if (!ABSOLUTE_URL.test(url)) {
		url = `${(options.baseURL ?? state.credentials.baseUrl).replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
	}
	const query = options.qs === undefined ? '' : serializeQuery(options.qs);
	if (query !== '') url += (url.includes('?') ? '&' : '?') + query;
	const method = (options.method ?? 'GET').toUpperCase();
	const target = parseTarget(state, url);

	if (method === 'POST' && target.path.endsWith(TOKEN_PATH)) {
		// The credential test posts to the token endpoint: send the real token request.
		return resolvedRequest(options, buildSignedTokenRequest(state));
	}
	const accessToken = typeof data.accessToken === 'string' ? data.accessToken.trim() : '';
	if (accessToken === '') {
		throw new UpvestCredentialError(
			'The Upvest credential has no access token yet: n8n fetches one before each request, so check that the credential type is "Upvest API".',
		);
	}

	const callerHeaders = lowerCaseHeaders(options.headers);
	const contentType =
		callerHeaders['content-type'] ?? (options.form !== undefined ? FORM_TYPE : JSON_TYPE);
	const body =
		method === 'GET' || method === 'HEAD'
			? undefined
			: toBodyBytes(options.form ?? options.body, contentType);
	const headers: Headers = {};
	for (const name in callerHeaders) {
		if (!MANAGED_HEADERS.has(name)) headers[name] = callerHeaders[name];
	}
	headers.accept = callerHeaders.accept?.startsWith('application/pdf')
		? 'application/pdf'
		: JSON_TYPE;
	headers.authorization = `Bearer ${accessToken}`;
	if (body !== undefined) headers['content-type'] = contentType;
	if (callerHeaders['idempotency-key'] !== undefined)
		headers['idempotency-key'] = callerHeaders['idempotency-key'];

	return resolvedRequest(options, {
		url,
		headers: signedHeaders(state, {
			method,
			path: target.path,
			query: target.query,
			headers,
			body,
		}),
		body: wireBody(body, contentType),
	});
}

/**
 * The caller's options with the signed URL, headers and body. The query and base URL are part of
 * the URL now, so they are cleared, but only where set: adding properties to a spread copy takes
 * V8 off its fast path (microseconds per request, more than the rest of the signing around it).
 */
/** The request-library options the HTTP Request node passes besides IHttpRequestOptions. */
type RequestLibraryOptions = IHttpRequestOptions & {
	uri?: string;
	form?: IDataObject;
	followRedirect?: boolean;
	followAllRedirects?: boolean;
	sendCredentialsOnCrossOriginRedirect?: boolean;
};

function resolvedRequest(
	options: RequestLibraryOptions,
	resolved: Pick<IHttpRequestOptions, 'url' | 'headers' | 'body' | 'method'>,
): IHttpRequestOptions {
	// Upvest never redirects: a redirect is not followed, so no signed request is re-sent elsewhere.
	const request: RequestLibraryOptions = {
		...options,
		...resolved,
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
	};
	if (options.uri !== undefined) {
		request.followRedirect = false;
		request.followAllRedirects = false;
	}
	if (options.qs !== undefined) request.qs = undefined;
	if (options.baseURL !== undefined) request.baseURL = undefined;
	if (options.uri !== undefined) request.uri = resolved.url;
	if (options.form !== undefined) delete request.form;
	return request;
}

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
