'use strict';

/**
 * The token layer: POST /auth/token (OAuth client credentials, signed), the store of issued
 * access tokens, the bearer check and the scope check every API call goes through.
 */

const crypto = require('node:crypto');
const { problem, jsonResponse, acceptsJson, mediaType } = require('../http/wire');

const TOKEN_FIELDS = ['client_id', 'client_secret', 'grant_type', 'scope'];
// Expired tokens are swept only once the store is this large.
const PRUNE_ABOVE = 10000;

function safeEqual(a, b) {
	const ha = crypto.createHash('sha256').update(String(a)).digest();
	const hb = crypto.createHash('sha256').update(String(b)).digest();
	return crypto.timingSafeEqual(ha, hb);
}

class TokenStore {
	constructor() {
		this.tokens = new Map(); // access token -> { clientId, scopes: Set, expiresAt (ms) }
	}

	issue(clientId, scopes, ttlSeconds) {
		const accessToken = `ory_at_${crypto.randomBytes(32).toString('base64url')}`;
		this.prune();
		this.tokens.set(accessToken, {
			clientId,
			scopes: new Set(scopes),
			expiresAt: Date.now() + ttlSeconds * 1000,
		});
		return accessToken;
	}

	/** The live token behind an `authorization: Bearer …` header, or undefined. */
	fromAuthorization(header) {
		const auth = /^Bearer +(\S+)$/i.exec(header || '');
		const token = auth ? this.tokens.get(auth[1]) : undefined;
		if (!token || token.expiresAt <= Date.now()) return undefined;
		return token;
	}

	expireAll() {
		for (const token of this.tokens.values()) token.expiresAt = 0;
		return this.tokens.size;
	}

	clear() {
		this.tokens.clear();
	}

	prune() {
		if (this.tokens.size < PRUNE_ABOVE) return;
		const now = Date.now();
		for (const [token, info] of this.tokens) if (info.expiresAt <= now) this.tokens.delete(token);
	}
}

/**
 * Scope check: the token must hold one of `anyOf`; the 403 names the first, the smallest scope
 * that would do (e.g. accounts:read for a read that accounts:admin also allows).
 */
function checkScope(token, anyOf) {
	if (anyOf.some((scope) => token.scopes.has(scope))) return null;
	return problem(403, `Missing required scope: ${anyOf[0]}`);
}

/**
 * POST /auth/token. `verifySignature(ctx)` is the signature layer; `onIssued` counts tokens.
 */
function handleTokenRequest(ctx, { clients, tokens, verifySignature, ttlSeconds, onIssued }) {
	const { req, body } = ctx;
	const sig = verifySignature(ctx);
	if (!sig.valid) return problem(401, `Signature is incorrect: ${sig.error}`);
	if (!acceptsJson(req.headers.accept)) return problem(406, 'accept must allow application/json');
	if (mediaType(req.headers['content-type']) !== 'application/x-www-form-urlencoded') {
		return problem(400, 'content-type must be application/x-www-form-urlencoded');
	}

	const form = new URLSearchParams(body.toString('utf8'));
	for (const name of form.keys()) {
		if (!TOKEN_FIELDS.includes(name)) return problem(400, `Unknown field: ${name}`);
	}
	for (const name of TOKEN_FIELDS) {
		if (form.getAll(name).length > 1) return problem(400, `${name} must be given once`);
		if (!form.get(name)) return problem(400, `Missing required field: ${name}`);
	}
	if (form.get('grant_type') !== 'client_credentials') {
		return problem(400, 'grant_type must be client_credentials');
	}

	const clientId = form.get('client_id');
	const client = clients.get(clientId);
	if (!client) return problem(401, 'Unknown client ID');
	const headerClientId = req.headers['upvest-client-id'];
	if (headerClientId !== undefined && headerClientId !== clientId) {
		return problem(401, 'upvest-client-id header does not match client_id');
	}
	if (sig.clientId !== clientId) {
		return problem(401, 'Signature is incorrect: key id is not registered for this client');
	}
	if (!safeEqual(form.get('client_secret'), client.clientSecret))
		return problem(401, 'Invalid client secret');

	const scopes = form.get('scope').split(' ').filter(Boolean);
	if (scopes.length === 0) return problem(400, 'Missing required field: scope');
	for (const scope of scopes) {
		if (!client.scopes.has(scope))
			return problem(401, `Scope not allowed for this client: ${scope}`);
	}

	const accessToken = tokens.issue(clientId, scopes, ttlSeconds);
	onIssued();
	return jsonResponse(
		200,
		{
			access_token: accessToken,
			expires_in: ttlSeconds,
			token_type: 'bearer',
			scope: scopes.join(' '),
		},
		{ 'cache-control': 'no-store' },
	);
}

module.exports = { TokenStore, checkScope, handleTokenRequest };
