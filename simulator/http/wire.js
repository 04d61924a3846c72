'use strict';

/**
 * Wire helpers shared by the API and the admin API: reading a body within limits, splitting the
 * request target, and the response shapes (JSON, RFC 9457 problem details) the simulator sends.
 */

const http = require('node:http');
const crypto = require('node:crypto');
const { URL } = require('node:url');

const MAX_BODY_BYTES = 1024 * 1024;
// Beyond this we stop draining an oversized upload and drop the connection.
const MAX_DRAIN_BYTES = 16 * MAX_BODY_BYTES;
const ERROR_TYPE_BASE = 'https://docs.upvest.co/errors/';

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

/** A response to write: status, JSON-serialisable body, extra headers. */
function jsonResponse(status, body, headers = {}) {
	return { status, body: JSON.stringify(body), contentType: 'application/json', headers };
}

/** A response without a body (204, or 202 without content). */
function emptyResponse(status, headers = {}) {
	return { status, body: '', contentType: undefined, headers };
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

/** An error for the admin API that answers 404 instead of 400. */
function notFound(message) {
	return Object.assign(new Error(message), { status: 404 });
}

/** Writes a response built by jsonResponse, emptyResponse or problem, with its request id. */
function writeResponse(res, response, requestId = crypto.randomUUID()) {
	const body =
		response.problem !== undefined
			? JSON.stringify({ ...response.problem, request_id: requestId })
			: response.body;
	const headers = { 'upvest-request-id': requestId, ...response.headers };
	if (response.contentType !== undefined) {
		headers['content-type'] = response.contentType;
		headers['content-length'] = Buffer.byteLength(body);
	}
	res.writeHead(response.status, headers);
	res.end(body);
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

/** Resolves { body } , { tooLarge: true } or { aborted: true }; never rejects. */
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

/** Parses a JSON object body for the admin API; an empty body is {}. Throws TypeError otherwise. */
function parseJsonObject(buffer) {
	const text = buffer.toString('utf8').trim();
	if (text === '') return {};
	let value;
	try {
		value = JSON.parse(text);
	} catch {
		throw new TypeError('body is not valid JSON');
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		throw new TypeError('body must be a JSON object');
	}
	return value;
}

module.exports = {
	MAX_BODY_BYTES,
	jsonResponse,
	emptyResponse,
	problem,
	notFound,
	writeResponse,
	splitTarget,
	mediaType,
	acceptsJson,
	readBody,
	parseJsonObject,
};
