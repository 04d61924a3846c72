/**
 * The credential's authenticate: every request n8n sends with the Upvest credential gets the bearer
 * token and an HTTP message signature (docs/signing.md), and only when it goes to the credential's
 * own base URL. The access token itself comes from ./accessToken.ts.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
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
const ABSOLUTE_URL = /^https?:\/\//i;

type Headers = Record<string, string>;

/** Headers this module owns; any caller spelling of them is replaced, so a re-sign never duplicates. */
const MANAGED_HEADERS = new Set<string>([
	...COVERED_HEADERS,
	// Equivalent mutants (docs/mutation-testing.md): signRequest writes these three into the same
	// headers object after the copy, replacing a caller's value whether or not it is listed here.
	// Stryker disable next-line StringLiteral: signRequest always writes signature afterwards
	'signature',
	// Stryker disable next-line StringLiteral: signRequest always writes signature-input afterwards
	'signature-input',
	// Stryker disable next-line StringLiteral: signRequest always writes the version afterwards
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

export interface CredentialState {
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
export function credentialState(data: ICredentialDataDecryptedObject): CredentialState {
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

/** The client-credentials token request, signed like every other request to Upvest. */
export function buildSignedTokenRequest(state: CredentialState): IHttpRequestOptions {
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
