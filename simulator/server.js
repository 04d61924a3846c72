'use strict';

/**
 * Local Upvest sandbox simulator: POST /auth/token, POST /account_groups,
 * POST /roles with Upvest's signature, token, scope, idempotency and error
 * behaviour (upvest-api.md), plus an unauthenticated admin API under
 * /__simulator/ for tests (inspection, reset, fault injection, config).
 *
 * Node builtins only, loopback only: it never talks to anything but its own
 * clients on this machine.
 */

const http = require('node:http');
const crypto = require('node:crypto');
const { URL } = require('node:url');

const { verifyRequest, NonceStore, sha512Digest, TOKEN_PATH } = require('./verify');
const { validateAccountGroupBody, validateRoleBody, isUuid } = require('./validation');
const fixtures = require('./fixtures');

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);
const MAX_BODY_BYTES = 1024 * 1024;
// Beyond this we stop draining an oversized upload and drop the connection.
const MAX_DRAIN_BYTES = 16 * MAX_BODY_BYTES;
const ADMIN_PREFIX = '/__simulator/';
const ERROR_TYPE_BASE = 'https://docs.upvest.co/errors/';
const FAULT_KINDS = new Set(['status', 'drop-after-create', 'drop-before', 'latency']);

const STATUS_INFO = {
	400: ['bad_request', 'Bad Request'],
	401: ['unauthorised', 'Unauthorised'],
	403: ['forbidden', 'Forbidden'],
	404: ['not_found', 'Not Found'],
	405: ['method_not_allowed', 'Method Not Allowed'],
	406: ['not_acceptable', 'Not Acceptable'],
	409: ['conflict', 'Conflict'],
	413: ['payload_too_large', 'Payload Too Large'],
	422: ['unprocessable_entity', 'Unprocessable Entity'],
	429: ['too_many_requests', 'Too Many Requests'],
	500: ['internal_server_error', 'Internal Server Error'],
	502: ['bad_gateway', 'Bad Gateway'],
	503: ['service_unavailable', 'Service Unavailable'],
	504: ['gateway_timeout', 'Gateway Timeout'],
};

const DEFAULT_CONFIG = {
	latencyMs: 0,
	tokenTtlSeconds: 1799, // what the real sandbox returns (upvest-api.md section 2)
	checkReferences: false,
	clockSkewSeconds: 30,
	maxSignatureAgeSeconds: 300,
	maxRecords: 100000,
};

// ---------------------------------------------------------------------------
// small helpers
// ---------------------------------------------------------------------------

/** A response to write: status, JSON-serialisable body, extra headers. */
function jsonResponse(status, body, headers = {}) {
	return { status, body: JSON.stringify(body), contentType: 'application/json', headers };
}

/** RFC 9457 problem details the way Upvest shapes them; request_id is filled in when sent. */
function problem(status, detail, { slug, title, headers } = {}) {
	const [defaultSlug, defaultTitle] = STATUS_INFO[status] || [
		'error',
		http.STATUS_CODES[status] || 'Error',
	];
	return {
		status,
		problem: {
			type: ERROR_TYPE_BASE + (slug || defaultSlug),
			status,
			title: title || defaultTitle,
			detail,
		},
		contentType: 'application/problem+json',
		headers: headers || {},
	};
}

/** Deterministic PRNG (mulberry32) so seeded fault rates replay identically. */
function mulberry32(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Raw path and query exactly as received (the signature covers them verbatim). */
function splitTarget(rawUrl) {
	let target = rawUrl || '/';
	if (!target.startsWith('/')) {
		// absolute-form request target (proxies); rare, normalisation is acceptable here
		try {
			const u = new URL(target);
			target = u.pathname + u.search;
		} catch {
			target = '/';
		}
	}
	const q = target.indexOf('?');
	if (q === -1) return { path: target, query: null };
	return { path: target.slice(0, q), query: target.slice(q + 1) };
}

function mediaType(value) {
	return String(value || '')
		.split(';')[0]
		.trim()
		.toLowerCase();
}

function acceptsJson(accept) {
	if (accept === undefined) return true;
	return String(accept)
		.split(',')
		.map(mediaType)
		.some((t) => t === 'application/json' || t === 'application/*' || t === '*/*');
}

function safeEqual(a, b) {
	const ha = crypto.createHash('sha256').update(String(a)).digest();
	const hb = crypto.createHash('sha256').update(String(b)).digest();
	return crypto.timingSafeEqual(ha, hb);
}

function readBody(req) {
	return new Promise((resolve) => {
		let settled = false;
		const settle = (result) => {
			if (!settled) {
				settled = true;
				resolve(result);
			}
		};
		const chunks = [];
		let size = 0;
		let tooLarge = Number(req.headers['content-length']) > MAX_BODY_BYTES;
		if (tooLarge) settle({ tooLarge: true });

		req.on('data', (chunk) => {
			size += chunk.length;
			if (tooLarge) {
				// Keep draining so the 413 reaches the client, within reason.
				if (size > MAX_DRAIN_BYTES) req.socket.destroy();
				return;
			}
			if (size > MAX_BODY_BYTES) {
				tooLarge = true;
				chunks.length = 0;
				settle({ tooLarge: true });
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => settle({ body: Buffer.concat(chunks, size) }));
		req.on('error', () => settle({ aborted: true }));
		req.on('close', () => settle({ aborted: true }));
	});
}

function nonNegativeInteger(value, name) {
	if (!Number.isInteger(value) || value < 0)
		throw new TypeError(`${name} must be a non-negative integer`);
	return value;
}

// ---------------------------------------------------------------------------
// client registry
// ---------------------------------------------------------------------------

function registerClients(list) {
	if (!Array.isArray(list) || list.length === 0)
		throw new TypeError('clients must be a non-empty array');
	const clients = new Map();
	const keys = new Map();
	for (const c of list) {
		if (!c || typeof c.clientId !== 'string' || typeof c.clientSecret !== 'string') {
			throw new TypeError('each client needs a clientId and clientSecret string');
		}
		const scopes = Array.isArray(c.scopes) ? c.scopes : String(c.scopes || '').split(/\s+/);
		clients.set(c.clientId, {
			clientId: c.clientId,
			clientSecret: c.clientSecret,
			scopes: new Set(scopes.filter(Boolean)),
		});
		for (const k of c.keys || []) {
			const publicKey = crypto.createPublicKey(k.publicKey || k.publicKeyPem);
			const type = publicKey.asymmetricKeyType;
			const curve = publicKey.asymmetricKeyDetails && publicKey.asymmetricKeyDetails.namedCurve;
			if (!(type === 'ed25519' || (type === 'ec' && curve === 'secp521r1'))) {
				throw new TypeError(`key ${k.keyId}: only ECDSA P-521 and Ed25519 keys are accepted`);
			}
			const existing = keys.get(k.keyId);
			if (existing && existing.clientId !== c.clientId) {
				throw new TypeError(`key id ${k.keyId} is registered for two clients`);
			}
			if (existing) existing.publicKeys.push(publicKey);
			else keys.set(k.keyId, { clientId: c.clientId, publicKeys: [publicKey] });
		}
	}
	return { clients, keys };
}

// ---------------------------------------------------------------------------
// the simulator
// ---------------------------------------------------------------------------

class Simulator {
	constructor(options) {
		// host/port are listen options, handled by startSimulator
		const { clients = fixtures.defaultClients(), host: _host, port: _port, ...rest } = options;
		this.config = { ...DEFAULT_CONFIG };
		this.setConfig(rest);
		Object.assign(this, registerClients(clients));

		// Live objects handed out to callers: always mutated in place, never replaced.
		this.state = { accountGroups: [], roles: [], tokensIssued: 0 };
		this.requests = [];

		this.accountGroupIds = new Set();
		this.securitiesAccountNumbers = new Set();
		this.tokens = new Map(); // access token -> { clientId, scopes: Set, expiresAt (ms) }
		this.nonces = new NonceStore();
		this.idempotency = new Map(); // client \n path \n key -> { bodyHash, response }
		this.seq = 0;
		this.answerSeq = 0;
		this.faults = [];
		this.faultSeed = 1;
		this.rng = mulberry32(1);
		this.timers = new Set();
		this.closed = false;
	}

	// ----- public control API (also exposed over /__simulator/) -----

	reset() {
		this.state.accountGroups.length = 0;
		this.state.roles.length = 0;
		this.state.tokensIssued = 0;
		this.requests.length = 0;
		this.accountGroupIds.clear();
		this.securitiesAccountNumbers.clear();
		this.tokens.clear();
		this.nonces.clear();
		this.idempotency.clear();
		this.seq = 0;
		this.answerSeq = 0;
		this.setFaults([]);
	}

	setConfig(cfg = {}) {
		if (cfg === null || typeof cfg !== 'object' || Array.isArray(cfg))
			throw new TypeError('config must be an object');
		const next = { ...this.config };
		for (const [key, value] of Object.entries(cfg)) {
			if (value === undefined) continue;
			switch (key) {
				case 'latencyMs':
				case 'clockSkewSeconds':
					next[key] = nonNegativeInteger(value, key);
					break;
				case 'tokenTtlSeconds':
				case 'maxSignatureAgeSeconds':
				case 'maxRecords':
					if (!Number.isInteger(value) || value < 1)
						throw new TypeError(`${key} must be a positive integer`);
					next[key] = value;
					break;
				case 'checkReferences':
					if (typeof value !== 'boolean') throw new TypeError('checkReferences must be a boolean');
					next[key] = value;
					break;
				default:
					throw new TypeError(`unknown config option ${key}`);
			}
		}
		this.config = next;
		return { ...next };
	}

	setFaults(faults, seed) {
		if (!Array.isArray(faults)) throw new TypeError('faults must be an array');
		if (seed !== undefined && !Number.isInteger(seed))
			throw new TypeError('seed must be an integer');
		this.faults = faults.map((f, i) => normaliseFault(f, i));
		this.faultSeed = seed ?? 1;
		this.rng = mulberry32(this.faultSeed);
		return this.describeFaults();
	}

	describeFaults() {
		return { seed: this.faultSeed, faults: this.faults.map((f) => ({ ...f })) };
	}

	expireTokens() {
		for (const token of this.tokens.values()) token.expiresAt = 0;
		return this.tokens.size;
	}

	// ----- HTTP entry point -----

	async handle(req, res) {
		const { path, query } = splitTarget(req.url);
		try {
			if (path.startsWith(ADMIN_PREFIX)) await this.handleAdmin(req, res, path, query);
			else await this.handleApi(req, res, path, query);
		} catch (err) {
			// A simulator bug must surface as a 500, not kill the process.
			if (!res.headersSent && !res.destroyed) {
				this.send(res, null, problem(500, `Simulator error: ${err && err.message}`));
			} else {
				res.destroy();
			}
		}
	}

	send(res, record, response) {
		const requestId = record ? record.requestId : crypto.randomUUID();
		const body =
			response.problem !== undefined
				? JSON.stringify({ ...response.problem, request_id: requestId })
				: response.body;
		if (record) record.status = response.status;
		if (res.destroyed) return;
		// The order answers left in, which latency can make differ from the order requests came in.
		if (record) record.answeredSeq = ++this.answerSeq;
		res.writeHead(response.status, {
			'content-type': response.contentType,
			'content-length': Buffer.byteLength(body),
			'upvest-request-id': requestId,
			...response.headers,
		});
		res.end(body);
	}

	sleep(ms) {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				resolve();
			}, ms);
			this.timers.add(timer);
		});
	}

	newRecord(req, path, query) {
		const record = {
			seq: ++this.seq,
			requestId: crypto.randomUUID(),
			method: req.method,
			path,
			query,
			headers: { ...req.headers },
			body: '',
			status: null,
			tokenRequest: path === TOKEN_PATH,
			signature: null,
			replayed: false,
			receivedAt: new Date().toISOString(),
		};
		if (typeof req.headers['idempotency-key'] === 'string')
			record.idempotencyKey = req.headers['idempotency-key'];
		this.requests.push(record);
		const excess = this.requests.length - this.config.maxRecords;
		if (excess > 0) this.requests.splice(0, excess);
		return record;
	}

	async handleApi(req, res, path, query) {
		const arrivedAt = Date.now();
		const record = this.newRecord(req, path, query);
		const read = await readBody(req);
		if (read.aborted) return;
		if (read.tooLarge) {
			this.send(res, record, problem(413, `Request body exceeds ${MAX_BODY_BYTES} bytes`));
			return;
		}
		record.body = read.body.toString('utf8');

		const fault = this.pickFaults(req.method, path);
		if (fault.labels.length > 0) record.fault = fault.labels.join(',');
		// Latency is the API's response time: the answer leaves that long after the request arrived,
		// with the simulator's own work (verification, storage) inside the window, not added to it.
		const answerAt = arrivedAt + this.config.latencyMs + fault.latencyMs;
		const terminal = fault.terminal;
		const response =
			terminal === null || terminal.kind === 'drop-after-create'
				? this.route({ req, path, query, body: read.body, record })
				: undefined;
		const wait = answerAt - Date.now();
		if (wait > 0) {
			await this.sleep(wait);
			if (this.closed) return;
		}

		if (terminal && terminal.kind === 'drop-before') {
			req.socket.destroy();
			return;
		}
		if (terminal && terminal.kind === 'status') {
			const headers =
				terminal.retryAfter !== undefined ? { 'retry-after': String(terminal.retryAfter) } : {};
			this.send(
				res,
				record,
				problem(terminal.status, 'Fault injected by the Upvest simulator', { headers }),
			);
			return;
		}
		if (terminal && terminal.kind === 'drop-after-create') {
			// Fully processed (resource and idempotency record stored), answer lost.
			record.status = null;
			req.socket.destroy();
			return;
		}
		this.send(res, record, response);
	}

	pickFaults(method, path) {
		const result = { latencyMs: 0, terminal: null, labels: [] };
		for (const f of this.faults) {
			if (f.path !== undefined && f.path !== path) continue;
			if (f.method !== undefined && f.method !== method) continue;
			if (f.kind !== 'latency' && result.terminal) continue; // one terminal fault per request
			if (f.count !== undefined && f.applied >= f.count) continue;
			if (f.rate !== undefined && this.rng() >= f.rate) continue;
			f.applied++;
			if (f.kind === 'latency') {
				result.latencyMs += f.latencyMs;
				result.labels.push(`latency:${f.latencyMs}`);
			} else {
				result.terminal = f;
				result.labels.push(f.kind === 'status' ? `status:${f.status}` : f.kind);
			}
		}
		return result;
	}

	// ----- Upvest API -----

	route(ctx) {
		const routes = {
			[TOKEN_PATH]: { POST: () => this.issueToken(ctx) },
			'/account_groups': {
				POST: () => this.createResource(ctx, 'accounts:admin', (v) => this.createAccountGroup(v)),
			},
			'/roles': { POST: () => this.createResource(ctx, 'roles:admin', (v) => this.createRole(v)) },
		};
		const route = routes[ctx.path];
		if (!route) return problem(404, `No endpoint at ${ctx.path}`);
		const handler = route[ctx.req.method];
		if (!handler) {
			return problem(405, `Method ${ctx.req.method} is not allowed on ${ctx.path}`, {
				headers: { allow: Object.keys(route).join(', ') },
			});
		}
		return handler();
	}

	verifySignature(ctx) {
		const result = verifyRequest(
			{
				method: ctx.req.method,
				path: ctx.path,
				query: ctx.query,
				headers: ctx.req.headersDistinct,
				body: ctx.body,
			},
			{
				keys: this.keys,
				clockSkewSeconds: this.config.clockSkewSeconds,
				maxSignatureAgeSeconds: this.config.maxSignatureAgeSeconds,
				nonceStore: this.nonces,
			},
		);
		const summary = { valid: result.valid };
		if (!result.valid) summary.error = result.error;
		if (result.keyId !== undefined) summary.keyId = result.keyId;
		if (result.components !== undefined) summary.components = result.components;
		ctx.record.signature = summary;
		return result;
	}

	issueToken(ctx) {
		const { req, body } = ctx;
		const sig = this.verifySignature(ctx);
		if (!sig.valid) return problem(401, `Signature is incorrect: ${sig.error}`);
		if (!acceptsJson(req.headers.accept)) return problem(406, 'accept must allow application/json');
		if (mediaType(req.headers['content-type']) !== 'application/x-www-form-urlencoded') {
			return problem(400, 'content-type must be application/x-www-form-urlencoded');
		}

		const form = new URLSearchParams(body.toString('utf8'));
		const fields = ['client_id', 'client_secret', 'grant_type', 'scope'];
		for (const name of form.keys()) {
			if (!fields.includes(name)) return problem(400, `Unknown field: ${name}`);
		}
		for (const name of fields) {
			if (form.getAll(name).length > 1) return problem(400, `${name} must be given once`);
			if (!form.get(name)) return problem(400, `Missing required field: ${name}`);
		}
		if (form.get('grant_type') !== 'client_credentials') {
			return problem(400, 'grant_type must be client_credentials');
		}

		const clientId = form.get('client_id');
		const client = this.clients.get(clientId);
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

		const accessToken = `ory_at_${crypto.randomBytes(32).toString('base64url')}`;
		const ttl = this.config.tokenTtlSeconds;
		this.pruneTokens();
		this.tokens.set(accessToken, {
			clientId,
			scopes: new Set(scopes),
			expiresAt: Date.now() + ttl * 1000,
		});
		this.state.tokensIssued++;
		return jsonResponse(
			200,
			{ access_token: accessToken, expires_in: ttl, token_type: 'bearer', scope: scopes.join(' ') },
			{ 'cache-control': 'no-store' },
		);
	}

	pruneTokens() {
		if (this.tokens.size < 10000) return;
		const now = Date.now();
		for (const [token, info] of this.tokens) if (info.expiresAt <= now) this.tokens.delete(token);
	}

	createResource(ctx, scope, create) {
		const { req, path, body } = ctx;
		const clientId = req.headers['upvest-client-id'];
		if (!clientId)
			return problem(400, 'Missing Client ID', {
				slug: 'missing_client_id',
				title: 'Missing Client ID',
			});

		const auth = /^Bearer +(\S+)$/i.exec(req.headers.authorization || '');
		const token = auth ? this.tokens.get(auth[1]) : undefined;
		if (!token || token.expiresAt <= Date.now())
			return problem(401, 'Access token is invalid or expired');

		const sig = this.verifySignature(ctx);
		if (!sig.valid) return problem(401, `Signature is incorrect: ${sig.error}`);
		if (token.clientId !== clientId)
			return problem(401, 'Access token was not issued to this upvest-client-id');
		if (sig.clientId !== clientId) {
			return problem(401, 'Signature is incorrect: key id is not registered for this client');
		}
		if (!token.scopes.has(scope)) return problem(403, `Missing required scope: ${scope}`);
		if (!acceptsJson(req.headers.accept)) return problem(406, 'accept must allow application/json');

		const idempotencyKey = req.headers['idempotency-key'];
		if (!idempotencyKey) {
			return problem(400, 'The idempotency-key header is required', {
				slug: 'missing_idempotency_key',
				title: 'Missing Idempotency Key',
			});
		}
		if (!isUuid(idempotencyKey)) return problem(400, 'idempotency-key must be a UUID');
		if (mediaType(req.headers['content-type']) !== 'application/json') {
			return problem(400, 'content-type must be application/json');
		}

		const storeKey = `${clientId}\n${path}\n${idempotencyKey.toLowerCase()}`;
		const bodyHash = sha512Digest(body).toString('hex');
		const previous = this.idempotency.get(storeKey);
		if (previous) {
			if (previous.bodyHash !== bodyHash) {
				return problem(422, 'Idempotency key was already used with a different request body');
			}
			ctx.record.replayed = true;
			return {
				...previous.response,
				headers: { ...previous.response.headers, 'upvest-idempotent-replay': 'true' },
			};
		}

		let parsed;
		try {
			parsed = JSON.parse(body.toString('utf8'));
		} catch {
			return problem(400, 'Request body is not valid JSON');
		}
		const response = create(parsed);
		// Only successes are remembered: a failed attempt does not consume the key.
		if (response.status === 200) this.idempotency.set(storeKey, { bodyHash, response });
		return response;
	}

	createAccountGroup(input) {
		const valid = validateAccountGroupBody(input);
		if (!valid.ok) return problem(400, valid.detail);
		const v = valid.value;
		const now = new Date().toISOString();
		const group = { id: crypto.randomUUID(), created_at: now, updated_at: now };
		if (v.user_id) {
			group.user_id = v.user_id;
			group.users = [{ id: v.user_id }];
		} else {
			group.business_id = v.business_id;
		}
		group.type = v.type;
		group.status = 'PENDING_APPROVAL';
		group.securities_account_number =
			v.securities_account_number || this.newSecuritiesAccountNumber();
		this.state.accountGroups.push(group);
		this.accountGroupIds.add(group.id);
		this.securitiesAccountNumbers.add(group.securities_account_number);
		return jsonResponse(200, group);
	}

	newSecuritiesAccountNumber() {
		for (;;) {
			const candidate = String(crypto.randomInt(100000000, 1000000000));
			if (!this.securitiesAccountNumbers.has(candidate)) return candidate;
		}
	}

	createRole(input) {
		const valid = validateRoleBody(input);
		if (!valid.ok) return problem(400, valid.detail);
		const v = valid.value;
		if (
			this.config.checkReferences &&
			v.entity_type === 'ACCOUNT_GROUP' &&
			!this.accountGroupIds.has(v.entity_id)
		) {
			return problem(404, `Account group ${v.entity_id} not found`);
		}
		const now = new Date().toISOString();
		const role = { id: crypto.randomUUID(), created_at: now, updated_at: now, ...v };
		this.state.roles.push(role);
		return jsonResponse(200, role);
	}

	// ----- admin API -----

	async handleAdmin(req, res, path, query) {
		const read = await readBody(req);
		if (read.aborted) return;
		if (read.tooLarge) return this.send(res, null, problem(413, 'Request body too large'));

		const parseJson = () => {
			const text = read.body.toString('utf8').trim();
			if (text === '') return {};
			const value = JSON.parse(text);
			if (value === null || typeof value !== 'object' || Array.isArray(value)) {
				throw new TypeError('body must be a JSON object');
			}
			return value;
		};

		const endpoints = {
			health: { GET: () => ({ ok: true }) },
			state: {
				GET: () => ({
					accountGroups: this.state.accountGroups,
					roles: this.state.roles,
					tokensIssued: this.state.tokensIssued,
					requestCount: this.seq,
				}),
			},
			requests: {
				GET: () => {
					const since = Number(new URLSearchParams(query || '').get('since') || 0);
					if (!Number.isFinite(since)) throw new TypeError('since must be a number');
					return this.requests.filter((r) => r.seq > since);
				},
			},
			faults: {
				GET: () => this.describeFaults(),
				POST: () => {
					const body = parseJson();
					return { ok: true, ...this.setFaults(body.faults ?? [], body.seed) };
				},
			},
			config: {
				GET: () => ({ ...this.config }),
				POST: () => ({ ok: true, config: this.setConfig(parseJson()) }),
			},
			reset: {
				POST: () => {
					this.reset();
					return { ok: true };
				},
			},
			'tokens/expire': { POST: () => ({ ok: true, expired: this.expireTokens() }) },
		};

		const endpoint = endpoints[path.slice(ADMIN_PREFIX.length)];
		if (!endpoint) return this.send(res, null, problem(404, `No admin endpoint at ${path}`));
		const handler = endpoint[req.method];
		if (!handler) {
			return this.send(
				res,
				null,
				problem(405, `Method ${req.method} is not allowed on ${path}`, {
					headers: { allow: Object.keys(endpoint).join(', ') },
				}),
			);
		}
		let result;
		try {
			result = handler();
		} catch (err) {
			return this.send(res, null, problem(400, err.message));
		}
		return this.send(res, null, jsonResponse(200, result));
	}
}

function normaliseFault(f, index) {
	const where = `faults[${index}]`;
	if (!f || typeof f !== 'object' || Array.isArray(f))
		throw new TypeError(`${where} must be an object`);
	if (!FAULT_KINDS.has(f.kind))
		throw new TypeError(`${where}.kind must be one of ${[...FAULT_KINDS].join(', ')}`);
	const fault = { kind: f.kind, applied: 0 };
	if (f.path !== undefined) {
		if (typeof f.path !== 'string' || !f.path.startsWith('/'))
			throw new TypeError(`${where}.path must start with /`);
		fault.path = f.path;
	}
	if (f.method !== undefined) {
		if (typeof f.method !== 'string' || f.method === '')
			throw new TypeError(`${where}.method must be a string`);
		fault.method = f.method.toUpperCase();
	}
	if (f.rate !== undefined) {
		if (typeof f.rate !== 'number' || !(f.rate >= 0 && f.rate <= 1)) {
			throw new TypeError(`${where}.rate must be a number between 0 and 1`);
		}
		fault.rate = f.rate;
	}
	if (f.count !== undefined) fault.count = nonNegativeInteger(f.count, `${where}.count`);
	if (f.kind === 'status') {
		if (!Number.isInteger(f.status) || f.status < 400 || f.status > 599) {
			throw new TypeError(`${where}.status must be an HTTP error status (400-599)`);
		}
		fault.status = f.status;
		if (f.retryAfter !== undefined) {
			if (typeof f.retryAfter !== 'number' || !(f.retryAfter >= 0)) {
				throw new TypeError(`${where}.retryAfter must be a non-negative number of seconds`);
			}
			fault.retryAfter = f.retryAfter;
		}
	}
	if (f.kind === 'latency') fault.latencyMs = nonNegativeInteger(f.latencyMs, `${where}.latencyMs`);
	return fault;
}

/**
 * Starts a simulator.
 *
 * @param {object} [options]
 * @param {string} [options.host='127.0.0.1'] loopback only: 127.0.0.1, localhost or ::1
 * @param {number} [options.port=0] 0 = any free port
 * @param {number} [options.latencyMs=0] added to every API response
 * @param {number} [options.tokenTtlSeconds=1799]
 * @param {boolean} [options.checkReferences=false] 404 for roles on unknown account groups
 * @param {Array}  [options.clients] default: fixtures.defaultClients()
 * @param {number} [options.clockSkewSeconds=30]
 * @param {number} [options.maxSignatureAgeSeconds=300]
 * @param {number} [options.maxRecords=100000] request records kept (oldest dropped first)
 */
async function startSimulator(options = {}) {
	const host = options.host ?? '127.0.0.1';
	if (!LOOPBACK_HOSTS.has(host))
		throw new Error(`Refusing to listen on ${host}: the simulator is loopback-only`);
	const sim = new Simulator(options);

	const server = http.createServer((req, res) => {
		sim.handle(req, res);
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => {
			server.off('error', reject);
			resolve();
		});
	});

	const { port } = server.address();
	const urlHost = host.includes(':') ? `[${host}]` : host;
	let closing;

	return {
		url: `http://${urlHost}:${port}`,
		port,
		close() {
			if (!closing) {
				sim.closed = true;
				for (const timer of sim.timers) clearTimeout(timer);
				sim.timers.clear();
				closing = new Promise((resolve) => server.close(() => resolve()));
				server.closeAllConnections();
			}
			return closing;
		},
		reset: () => sim.reset(),
		setFaults: (faults, seed) => sim.setFaults(faults, seed),
		setConfig: (cfg) => sim.setConfig(cfg),
		expireTokens: () => sim.expireTokens(),
		get config() {
			return { ...sim.config };
		},
		state: sim.state,
		requests: sim.requests,
	};
}

module.exports = { startSimulator, LOOPBACK_HOSTS, MAX_BODY_BYTES };
