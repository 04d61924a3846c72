'use strict';

/**
 * Signing, per request: the credential's authenticate() (the node's signing path, from dist/)
 * against a bare crypto.sign of the same signature base with an already-parsed key, for ECDSA
 * P-521 and Ed25519. Interleaved rounds with alternating order, so drift in the machine's load
 * hits both sides; the figure is the median of the per-round ratios.
 */

const crypto = require('node:crypto');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const { ROOT } = require('../n8n-runtime');
const { KEYS, testClient, parseKey, baseOfSignedRequest } = require('./bare-signer');
const { fmt, median, uuidFor } = require('./stats');

const TARGET = 1.1;

/** What the node hands to n8n's httpRequestWithAuthentication for one create (transport/request.ts). */
function createRequest(baseUrl, body, idempotencyKey) {
	return {
		method: 'POST',
		url: `${baseUrl}/account_groups`,
		headers: {
			accept: 'application/json',
			'content-type': 'application/json',
			'idempotency-key': idempotencyKey,
		},
		body,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
}

/** Both operations on the same request: the package's authenticate and the bare signature of its base. */
async function operations(credentialType, keyName) {
	const { fixture, digest, label } = KEYS[keyName];
	const baseUrl = 'http://127.0.0.1:4010'; // nothing is sent
	const body = Buffer.from(JSON.stringify({ user_id: uuidFor('sign', 0), type: 'PERSONAL' }));
	const idempotencyKey = crypto.randomUUID();
	const data = {
		accessToken: `ory_at_${crypto.randomBytes(32).toString('base64url')}`,
		environment: 'custom',
		baseUrl,
		clientId: testClient.clientId,
		clientSecret: testClient.clientSecret,
		keyId: fixture.keyId,
		privateKey: fixture.privateKeyPem,
		passphrase: fixture.passphrase ?? '',
		scopes: 'accounts:admin roles:admin',
	};
	const nodeOp = () =>
		credentialType.authenticate(data, createRequest(baseUrl, body, idempotencyKey));

	// Rebuild the base the package signed and check it against its own signature.
	const signed = await nodeOp();
	const base = Buffer.from(baseOfSignedRequest('POST', '/account_groups', signed.headers), 'utf8');
	const sigBytes = Buffer.from(/^sig1=:(.*):$/.exec(signed.headers.signature)[1], 'base64');
	if (!crypto.verify(digest, base, crypto.createPublicKey(fixture.publicKeyPem), sigBytes))
		throw new Error(`${label}: could not rebuild the signature base the package signed`);
	const key = parseKey(keyName);
	return { nodeOp, bareOp: () => crypto.sign(digest, base, key) };
}

async function timePerOp(op, count) {
	const started = performance.now();
	for (let i = 0; i < count; i++) await op();
	return ((performance.now() - started) * 1000) / count;
}

async function measureKey(credentialType, keyName, quick) {
	const { nodeOp, bareOp } = await operations(credentialType, keyName);
	const slow = keyName === 'ecdsa';
	const perRound = slow ? 8 : 200;
	const rounds = quick ? 5 : slow ? 41 : 61;
	for (let i = 0; i < perRound * 3; i++) {
		await nodeOp(); // warm up both paths (JIT, key cache)
		bareOp();
	}
	const nodeUs = [];
	const bareUs = [];
	const ratios = [];
	for (let round = 0; round < rounds; round++) {
		const first = round % 2 === 0 ? nodeOp : bareOp;
		const second = first === nodeOp ? bareOp : nodeOp;
		const a = await timePerOp(first, perRound);
		const b = await timePerOp(second, perRound);
		const [n, bare] = first === nodeOp ? [a, b] : [b, a];
		nodeUs.push(n);
		bareUs.push(bare);
		ratios.push(n / bare);
	}
	const ratio = median(ratios);
	return {
		key: keyName,
		label: KEYS[keyName].label,
		rounds,
		opsPerRound: perRound,
		nodeUsPerOp: median(nodeUs),
		bareUsPerOp: median(bareUs),
		ratio,
		ratioOfMedians: median(nodeUs) / median(bareUs),
		target: TARGET,
		met: ratio <= TARGET,
	};
}

async function run(ctx) {
	const { UpvestApi } = require(path.join(ROOT, 'dist', 'credentials', 'UpvestApi.credentials.js'));
	const credentialType = new UpvestApi();
	const rows = [];
	for (const keyName of ['ecdsa', 'ed25519']) {
		const row = await measureKey(credentialType, keyName, ctx.options.quick);
		rows.push(row);
		ctx.log(
			`signing ${row.label}: node ${fmt.n1(row.nodeUsPerOp)} µs, bare ${fmt.n1(row.bareUsPerOp)} µs, ratio ${fmt.n2(row.ratio)}`,
		);
	}
	const section = [
		'| Key | Node signing path (µs) | Bare `crypto.sign` (µs) | Overhead (µs) | Ratio | Target | |',
		'|---|---:|---:|---:|---:|---|---|',
		...rows.map(
			(s) =>
				`| ${s.label} | ${fmt.n1(s.nodeUsPerOp)} | ${fmt.n1(s.bareUsPerOp)} | ${fmt.n1(s.nodeUsPerOp - s.bareUsPerOp)} | ${fmt.n2(s.ratio)} | ≤ ${TARGET} | ${fmt.verdict(s.met)} |`,
		),
		'',
		"Node path: the credential's `authenticate` (dist/credentials/UpvestApi.credentials.js) on a POST /account_groups with a Buffer body and an access token, key from the cache. " +
			`Bare: \`crypto.sign\` of the same signature base with an already-parsed key (no content digest, no headers). Median of per-round ratios over interleaved rounds (${rows.map((s) => `${s.label}: ${s.rounds} × ${s.opsPerRound}`).join(', ')}).`,
	];
	return {
		rows,
		figures: { bareUsPerOp: Object.fromEntries(rows.map((s) => [s.key, s.bareUsPerOp])) },
		summary: rows.map((s) => ({
			measure: `Signing per request, ${s.label} (credential \`authenticate\` vs bare \`crypto.sign\` of the same base, interleaved medians)`,
			node: `${fmt.n1(s.nodeUsPerOp)} µs`,
			baseline: `${fmt.n1(s.bareUsPerOp)} µs`,
			ratio: fmt.n2(s.ratio),
			target: `≤ ${TARGET} ${fmt.verdict(s.met)}`,
		})),
		section,
	};
}

/** The bare signing time per request for `keyName`, measured briefly (for runs without this module). */
function bareSignMicros(keyName) {
	const key = parseKey(keyName);
	const data = Buffer.from('x'.repeat(400));
	const samples = [];
	for (let round = 0; round < 9; round++) {
		const started = performance.now();
		for (let i = 0; i < 20; i++) crypto.sign(KEYS[keyName].digest, data, key);
		samples.push(((performance.now() - started) * 1000) / 20);
	}
	return median(samples);
}

module.exports = { id: 'signing', title: 'Signing, per request', needs: [], run, bareSignMicros };
