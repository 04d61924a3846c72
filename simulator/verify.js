'use strict';

/**
 * Independent verifier for Upvest-style HTTP Message Signatures
 * (draft-ietf-httpbis-message-signatures-15 as Upvest uses it; the scheme is described in
 * docs/signing.md, the standard is RFC 9421).
 *
 * Deliberately shares no code with the node's signer (nodes/, credentials/):
 * it is the second implementation that our signer is checked against.
 *
 * Every exported function returns a result object instead of throwing on bad
 * input, because the input is attacker/fuzzer controlled.
 */

const crypto = require('node:crypto');
const { parseDictionary } = require('./structured-fields');

const SIGNATURE_LABEL = 'sig1';
const TOKEN_PATH = '/auth/token';
const SUPPORTED_DERIVED = new Set(['@method', '@path', '@query']);
const BODY_COMPONENTS = ['content-type', 'content-length', 'content-digest'];

// ---------------------------------------------------------------------------
// signature-input
// ---------------------------------------------------------------------------

/**
 * Parses a `signature-input` header value and extracts the `sig1` member.
 *
 * @returns {{ ok: true, label: string, components: string[],
 *             params: { keyid: string, created: number, expires: number, nonce: string, alg?: string },
 *             rawParams: string }
 *          | { ok: false, error: string }}
 */
function parseSignatureInput(headerValue) {
	if (typeof headerValue !== 'string' || headerValue.length === 0) {
		return { ok: false, error: 'signature-input header is missing' };
	}
	const dict = parseDictionary(headerValue);
	if (!dict.ok) return { ok: false, error: `signature-input is malformed: ${dict.error}` };
	const member = dict.members.get(SIGNATURE_LABEL);
	if (!member) return { ok: false, error: `signature-input has no "${SIGNATURE_LABEL}" label` };
	if (member.type !== 'inner-list') {
		return { ok: false, error: `signature-input "${SIGNATURE_LABEL}" is not an inner list` };
	}

	const components = [];
	for (const item of member.items) {
		if (item.type !== 'string')
			return { ok: false, error: 'signature-input components must be quoted strings' };
		if (item.params.size > 0) {
			return { ok: false, error: `component parameters are not supported ("${item.value}")` };
		}
		if (components.includes(item.value)) {
			return { ok: false, error: `component "${item.value}" is listed twice` };
		}
		components.push(item.value);
	}
	if (components.length === 0) return { ok: false, error: 'signature-input covers no components' };

	const params = {};
	const want = { keyid: 'string', created: 'integer', expires: 'integer', nonce: 'string' };
	for (const [name, type] of Object.entries(want)) {
		const p = member.params.get(name);
		if (!p) return { ok: false, error: `signature-input is missing the "${name}" parameter` };
		if (p.type !== type) {
			return {
				ok: false,
				error: `signature-input parameter "${name}" must be ${type === 'integer' ? 'an' : 'a'} ${type}`,
			};
		}
		params[name] = p.value;
	}
	if (params.keyid.length === 0) return { ok: false, error: 'signature-input keyid is empty' };
	if (params.nonce.length === 0) return { ok: false, error: 'signature-input nonce is empty' };
	const alg = member.params.get('alg');
	if (alg) {
		if (alg.type !== 'string')
			return { ok: false, error: 'signature-input parameter "alg" must be a string' };
		params.alg = alg.value;
	}
	// Other parameters (e.g. "tag") are ignored, as the draft allows.

	return { ok: true, label: SIGNATURE_LABEL, components, params, rawParams: member.raw };
}

// ---------------------------------------------------------------------------
// signature base
// ---------------------------------------------------------------------------

function headerValue(headers, name) {
	const v = headers ? headers[name] : undefined;
	if (v === undefined || v === null) return undefined;
	// Multiple field lines are combined with ", " after trimming each (draft-15 section 2.1).
	if (Array.isArray(v))
		return v.length === 0 ? undefined : v.map((x) => String(x).trim()).join(', ');
	return String(v).trim();
}

/**
 * Rebuilds the signature base (see docs/signing.md).
 *
 * @param request {{ method: string, path: string, query?: string|null,
 *                   headers: Record<string, string|string[]> }}
 *        `query` is the raw query text without "?" (null/undefined = the URL has no "?");
 *        header names must be lower-case.
 * @param components {string[]} covered component names, in signature-input order
 * @param rawParams {string} the exact text after "sig1=" in signature-input
 * @returns {{ ok: true, base: string } | { ok: false, error: string }}
 */
function buildSignatureBase(request, components, rawParams) {
	if (!request || typeof request !== 'object') return { ok: false, error: 'request is missing' };
	if (!Array.isArray(components)) return { ok: false, error: 'components must be an array' };
	if (typeof rawParams !== 'string')
		return { ok: false, error: 'signature params must be a string' };

	const lines = [];
	for (const name of components) {
		if (typeof name !== 'string' || name.length === 0)
			return { ok: false, error: 'invalid component name' };
		let value;
		if (name.startsWith('@')) {
			if (!SUPPORTED_DERIVED.has(name))
				return { ok: false, error: `unsupported derived component "${name}"` };
			if (name === '@method') value = String(request.method || '').toUpperCase();
			else if (name === '@path') value = request.path ? String(request.path) : '/';
			else {
				if (request.query === null || request.query === undefined) {
					return { ok: false, error: '"@query" is covered but the request has no query' };
				}
				value = `?${request.query}`;
			}
		} else {
			if (name !== name.toLowerCase())
				return { ok: false, error: `component "${name}" must be lower-case` };
			value = headerValue(request.headers, name);
			if (value === undefined) return { ok: false, error: `covered header "${name}" is missing` };
		}
		if (/[\r\n]/.test(value))
			return { ok: false, error: `component "${name}" contains a line break` };
		lines.push(`"${name}": ${value}`);
	}
	lines.push(`"@signature-params": ${rawParams}`);
	return { ok: true, base: lines.join('\n') };
}

// ---------------------------------------------------------------------------
// nonce replay store
// ---------------------------------------------------------------------------

/** Remembers (keyid, nonce) pairs until their signature can no longer be valid. */
class NonceStore {
	constructor() {
		this.entries = new Map(); // "keyid\nnonce" -> unix seconds after which it may be forgotten
		this.nextSweep = 0;
	}

	/** Returns false if the nonce was already seen (replay); otherwise remembers it. */
	checkAndRemember(keyId, nonce, forgetAfter, now) {
		this.sweep(now);
		const key = `${keyId}\n${nonce}`;
		const known = this.entries.get(key);
		if (known !== undefined && known >= now) return false;
		this.entries.set(key, forgetAfter);
		return true;
	}

	sweep(now) {
		if (now < this.nextSweep) return;
		for (const [key, forgetAfter] of this.entries) {
			if (forgetAfter < now) this.entries.delete(key);
		}
		this.nextSweep = now + 10;
	}

	clear() {
		this.entries.clear();
		this.nextSweep = 0;
	}

	get size() {
		return this.entries.size;
	}
}

// ---------------------------------------------------------------------------
// full request verification
// ---------------------------------------------------------------------------

function sha512Digest(body) {
	return crypto.createHash('sha512').update(body).digest();
}

function resolveKey(keys, keyId) {
	if (!keys) return undefined;
	if (typeof keys === 'function') return keys(keyId);
	if (keys instanceof Map) return keys.get(keyId);
	return Object.prototype.hasOwnProperty.call(keys, keyId) ? keys[keyId] : undefined;
}

function toKeyObject(key) {
	if (key instanceof crypto.KeyObject) return key;
	return crypto.createPublicKey(key);
}

function verifyWithKey(publicKey, alg, base, signature) {
	const type = publicKey.asymmetricKeyType;
	try {
		if (type === 'ec') {
			if (publicKey.asymmetricKeyDetails?.namedCurve !== 'secp521r1') return false;
			if (alg !== undefined && alg !== 'ecdsa-p521-sha512') return false;
			return crypto.verify('sha512', base, { key: publicKey, dsaEncoding: 'der' }, signature);
		}
		if (type === 'ed25519') {
			if (alg !== undefined && alg !== 'ed25519') return false;
			return crypto.verify(null, base, publicKey, signature);
		}
	} catch {
		// Malformed DER and similar are just "does not verify".
	}
	return false;
}

/**
 * Verifies one request the way Upvest's API does (see docs/signing.md, "What the verifier checks").
 * Options: `keys` maps a key id to `{ clientId, publicKeys }` (a Map, an object or a function);
 * `now` is Unix seconds (default: the clock); `clockSkewSeconds` (default 30);
 * `maxSignatureAgeSeconds` (default 300) bounds expires - created and the age of created;
 * `nonceStore` turns on replay rejection; `tokenPath` (default /auth/token) is the one path
 * whose requests do not cover authorization.
 *
 * @param {{ method: string, path: string, query?: string|null, headers: Record<string, string|string[]|undefined>, body?: Buffer|string }} request
 *        header names lower-case; body = the raw bytes received (empty or absent = no body)
 * @param {{ keys: any, now?: number, clockSkewSeconds?: number, maxSignatureAgeSeconds?: number, nonceStore?: NonceStore, tokenPath?: string }} [options]
 * @returns {{ valid: boolean, error?: string, keyId?: string, clientId?: string, components?: string[], params?: object }}
 */
function verifyRequest(request, options = {}) {
	try {
		return verifyRequestUnsafe(request, options);
	} catch (err) {
		// Belt and braces: the verifier must never take the server down.
		return { valid: false, error: `verifier error: ${err && err.message}` };
	}
}

function verifyRequestUnsafe(request, options) {
	if (!request || typeof request !== 'object') return { valid: false, error: 'request is missing' };
	const headers = request.headers || {};
	const now = options.now ?? Math.floor(Date.now() / 1000);
	const skew = options.clockSkewSeconds ?? 30;
	const maxAge = options.maxSignatureAgeSeconds ?? 300;
	const tokenPath = options.tokenPath ?? TOKEN_PATH;

	// Step 2: v15 must be requested explicitly (v6 would be assumed otherwise).
	const version = headerValue(headers, 'upvest-signature-version');
	if (version === undefined)
		return { valid: false, error: 'missing upvest-signature-version header' };
	if (version !== '15')
		return { valid: false, error: `unsupported upvest-signature-version "${version}"` };

	// Step 1: signature-input and signature.
	const input = parseSignatureInput(headerValue(headers, 'signature-input'));
	if (!input.ok) return { valid: false, error: input.error };
	const { components, params, rawParams } = input;
	const keyId = params.keyid;
	const fail = (error) => ({ valid: false, error, keyId, components });

	const sigHeader = headerValue(headers, 'signature');
	if (sigHeader === undefined) return fail('signature header is missing');
	const sigDict = parseDictionary(sigHeader);
	if (!sigDict.ok) return fail(`signature header is malformed: ${sigDict.error}`);
	const sigMember = sigDict.members.get(SIGNATURE_LABEL);
	if (!sigMember || sigMember.type !== 'bytes') {
		return fail(`signature header has no "${SIGNATURE_LABEL}" byte sequence`);
	}
	const signature = sigMember.value;
	if (signature.length === 0) return fail('signature is empty');

	const registration = resolveKey(options.keys, keyId);
	if (
		!registration ||
		!Array.isArray(registration.publicKeys) ||
		registration.publicKeys.length === 0
	) {
		return fail('unknown key id');
	}

	// Step 4: minimum coverage.
	const path = request.path ? String(request.path) : '/';
	const hasQuery = request.query !== null && request.query !== undefined;
	const body =
		request.body === undefined || request.body === null
			? Buffer.alloc(0)
			: Buffer.from(request.body);
	const hasBody = body.length > 0;
	const covered = new Set(components);
	const required = ['@method', '@path', 'accept', 'upvest-client-id'];
	if (path !== tokenPath) required.push('authorization');
	if (hasQuery) required.push('@query');
	if (hasBody) required.push(...BODY_COMPONENTS);
	if (headerValue(headers, 'idempotency-key') !== undefined) required.push('idempotency-key');
	for (const name of required) {
		if (!covered.has(name)) return fail(`required component "${name}" is not covered`);
	}
	if (!hasQuery && covered.has('@query'))
		return fail('"@query" is covered but the request has no query');
	if (!hasBody) {
		for (const name of BODY_COMPONENTS) {
			if (covered.has(name)) return fail(`"${name}" is covered but the request has no body`);
		}
	}

	// Step 3: validity window.
	const { created, expires } = params;
	if (expires < created) return fail('signature expires before it was created');
	if (expires - created > maxAge) return fail(`signature validity exceeds ${maxAge} seconds`);
	if (created > now + skew) return fail('signature created in the future');
	if (now - created > maxAge + skew) return fail('signature is too old');
	if (now > expires + skew) return fail('signature has expired');

	// Step 5: body integrity.
	if (hasBody) {
		const digestDict = parseDictionary(headerValue(headers, 'content-digest') ?? '');
		if (!digestDict.ok) return fail(`content-digest is malformed: ${digestDict.error}`);
		const sha512 = digestDict.members.get('sha-512');
		if (!sha512 || sha512.type !== 'bytes') return fail('content-digest has no sha-512 value');
		if (!sha512.value.equals(sha512Digest(body)))
			return fail('content-digest does not match the body');
		const length = headerValue(headers, 'content-length');
		if (length !== String(body.length)) return fail('content-length does not match the body');
	}

	// Step 6: signature base.
	const built = buildSignatureBase(
		{ method: request.method, path, query: hasQuery ? request.query : null, headers },
		components,
		rawParams,
	);
	if (!built.ok) return fail(built.error);
	const baseBytes = Buffer.from(built.base, 'utf8');

	// Step 7: any key registered under the key id may have signed it.
	let verified = false;
	for (const key of registration.publicKeys) {
		let publicKey;
		try {
			publicKey = toKeyObject(key);
		} catch {
			continue;
		}
		if (verifyWithKey(publicKey, params.alg, baseBytes, signature)) {
			verified = true;
			break;
		}
	}
	if (!verified) return fail('signature does not verify');

	// Replay check last, so forged requests cannot burn legitimate nonces.
	if (
		options.nonceStore &&
		!options.nonceStore.checkAndRemember(keyId, params.nonce, expires + skew, now)
	) {
		return fail('nonce has already been used');
	}

	return { valid: true, keyId, clientId: registration.clientId, components, params };
}

module.exports = {
	parseDictionary,
	parseSignatureInput,
	buildSignatureBase,
	verifyRequest,
	NonceStore,
	sha512Digest,
	SIGNATURE_LABEL,
	TOKEN_PATH,
};
