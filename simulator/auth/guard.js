'use strict';

/**
 * The checks every authenticated API call goes through, in the order Upvest applies them:
 * upvest-client-id, bearer token, signature, client binding, scope, accept; for writes also the
 * idempotency key, content-type and a JSON body.
 */

const { isUuid } = require('../validation');
const { problem, acceptsJson, mediaType } = require('../http/wire');
const { checkScope } = require('./tokens');

/**
 * @param deps {{ tokens: TokenStore, signatures: SignatureLayer, idempotency: IdempotencyStore }}
 */
function createGuard({ tokens, signatures, idempotency }) {
	/** Client id, token, signature and scope. @returns a problem or null */
	function authorize(ctx, scopes) {
		const { req } = ctx;
		const clientId = req.headers['upvest-client-id'];
		if (!clientId)
			return problem(400, 'Missing Client ID', {
				slug: 'missing_client_id',
				title: 'Missing Client ID',
			});

		const token = tokens.fromAuthorization(req.headers.authorization);
		if (!token) return problem(401, 'Access token is invalid or expired');

		const sig = signatures.verify(ctx);
		if (!sig.valid) return problem(401, `Signature is incorrect: ${sig.error}`);
		if (token.clientId !== clientId)
			return problem(401, 'Access token was not issued to this upvest-client-id');
		if (sig.clientId !== clientId) {
			return problem(401, 'Signature is incorrect: key id is not registered for this client');
		}
		const missing = checkScope(token, scopes);
		if (missing) return missing;
		if (!acceptsJson(req.headers.accept)) return problem(406, 'accept must allow application/json');
		ctx.clientId = clientId;
		return null;
	}

	/** A call without a body to interpret (GET, DELETE, POST …/test). */
	function call(ctx, scopes, perform) {
		return authorize(ctx, scopes) || perform();
	}

	/**
	 * A call with a JSON body. `idempotencyKey`: 'required' (Upvest's creates), 'optional'
	 * (honoured when sent) or 'ignored' (calls Upvest documents without one: a key sent is neither
	 * checked nor honoured, so a repeat creates again). `perform(parsedBody)` returns the response.
	 */
	function write(ctx, scopes, { idempotencyKey }, perform) {
		const denied = authorize(ctx, scopes);
		if (denied) return denied;
		const { req, path, body } = ctx;

		const key = idempotencyKey === 'ignored' ? undefined : req.headers['idempotency-key'];
		if (!key && idempotencyKey === 'required') {
			return problem(400, 'The idempotency-key header is required', {
				slug: 'missing_idempotency_key',
				title: 'Missing Idempotency Key',
			});
		}
		if (key && !isUuid(key)) return problem(400, 'idempotency-key must be a UUID');
		if (mediaType(req.headers['content-type']) !== 'application/json') {
			return problem(400, 'content-type must be application/json');
		}

		const parseAndPerform = () => {
			let parsed;
			try {
				parsed = JSON.parse(body.toString('utf8'));
			} catch {
				return problem(400, 'Request body is not valid JSON');
			}
			return perform(parsed);
		};
		if (!key) return parseAndPerform();
		return idempotency.run({ clientId: ctx.clientId, path, key, body }, parseAndPerform, () => {
			ctx.record.replayed = true;
		});
	}

	return { authorize, call, write };
}

module.exports = { createGuard };
