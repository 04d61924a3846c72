/**
 * The signature base of a webhook delivery, as Upvest builds it.
 * v6 (what webhooks use): one line `name: value` per covered component, names unquoted,
 * https://docs.upvest.co/documentation/concepts/api_concepts/http_signatures/v6/signature_components
 * v15 (defensive, should a delivery ever say so): names quoted as in RFC 9421.
 * Both end with the `@signature-params` line repeating signature-input's member verbatim.
 */
import { fail, ok, type Result } from './checks';
import type { SignatureInput } from './signatureHeaders';

export type SignatureVersion = 6 | 15;

export type RequestHeaders = Record<string, string | string[] | undefined>;

export interface SignedRequest {
	method: string;
	/**
	 * The URL registered with Upvest: `@path` and `@query` come from it, not from the request
	 * as n8n saw it, which a reverse proxy may have rewritten.
	 */
	url: URL;
	/** Lower-case names, as Node's `IncomingMessage.headers`. */
	headers: RequestHeaders;
	/** The raw bytes received. */
	body: Buffer;
}

/** A header as it enters the base: surrounding whitespace trimmed, repeats joined by `, `. */
export function headerValue(headers: RequestHeaders, name: string): string | undefined {
	const value = headers[name];
	if (value === undefined) return undefined;
	return Array.isArray(value) ? value.map((part) => part.trim()).join(', ') : value.trim();
}

/** Deliveries are v6; a delivery that says `upvest-signature-version: 15` or covers content-digest is read as v15. */
export function signatureVersion(headers: RequestHeaders, components: string[]): SignatureVersion {
	return headerValue(headers, 'upvest-signature-version') === '15' ||
		components.includes('content-digest')
		? 15
		: 6;
}

const DERIVED: Record<string, (request: SignedRequest) => string> = {
	'@method': (request) => request.method.toUpperCase(),
	// Equivalent mutants below are listed in docs/mutation-testing.md.
	// Stryker disable next-line StringLiteral: the pathname of an http(s) URL is never empty
	'@path': (request) => request.url.pathname || '/',
	// Stryker disable next-line Regex: search is '' or starts with '?', its first '?'
	'@query': (request) => `?${request.url.search.replace(/^\?/, '')}`,
	'@authority': (request) => request.url.host,
	// Stryker disable next-line Regex: protocol ends with its only ':'
	'@scheme': (request) => request.url.protocol.replace(/:$/, ''),
	'@target-uri': (request) => request.url.href,
	'@request-target': (request) => `${request.url.pathname || '/'}${request.url.search}`,
};

function componentValue(request: SignedRequest, name: string): Result<string> {
	if (name.startsWith('@')) {
		const derive = DERIVED[name];
		return derive === undefined
			? fail('component', `component "${name}" is not supported`)
			: ok(derive(request));
	}
	// Header names are tokens; a name with ":" would be a dictionary member, which Upvest's v6
	// describes nowhere, so it is refused rather than guessed.
	if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) {
		return fail('component', `component "${name}" is not supported`);
	}
	const value = headerValue(request.headers, name);
	return value === undefined ? fail('component', `covered header "${name}" is missing`) : ok(value);
}

export function buildSignatureBase(
	request: SignedRequest,
	input: SignatureInput,
	version: SignatureVersion,
): Result<string> {
	const quote = version === 15 ? (name: string) => `"${name}"` : (name: string) => name;
	const lines: string[] = [];
	for (const name of input.components) {
		const value = componentValue(request, name);
		if (!value.ok) return value;
		lines.push(`${quote(name)}: ${value.value}`);
	}
	lines.push(`${quote('@signature-params')}: ${input.params}`);
	return ok(lines.join('\n'));
}
