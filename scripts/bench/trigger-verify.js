'use strict';

/**
 * Webhook deliveries verified per second: the Upvest Trigger's own path for one delivery, from the
 * compiled modules in dist/nodes/Upvest/trigger/ (the registered URL parsed, signature headers
 * parsed, digest checked, signature base built, key looked up in a warm cache, ECDSA P-521
 * verified, replay guard, then the batch (as n8n parsed it) split into events in created_at order
 * and filtered, as receive.ts does it), against a bare `crypto.verify` of the same signature over the same base
 * with an already-parsed key. Batches of 1 and of 100 events. The deliveries are signed with a
 * P-521 key made here, by the simulator's signer (simulator/webhooks/signer.js), not by the code
 * under test. Interleaved rounds with alternating order; the figure is the median of the
 * per-round ratios, as in signing.js.
 */

const crypto = require('node:crypto');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const { ROOT } = require('../n8n-runtime');
const { digestHeader, signDelivery } = require('../../simulator/webhooks/signer');
const { fmt, median, uuidFor } = require('./stats');

const TARGET = 1.2;
const TRIGGER_DIR = path.join(ROOT, 'dist', 'nodes', 'Upvest', 'trigger');
const WEBHOOK_URL = 'http://127.0.0.1:5678/webhook/0f7c3a52-6b1d-4e8f-9a2c-5d4e3f2a1b0c/webhook';
const SELECTION = { categories: ['ACCOUNT_GROUP'], eventTypes: [] };
/** Deliveries per timed round and side. */
const PER_ROUND = 8;

function triggerModules() {
	const load = (name) => require(path.join(TRIGGER_DIR, `${name}.js`));
	return {
		...load('verifyDelivery'),
		...load('delivery'),
		...load('verifyKeys'),
		...load('replayGuard'),
	};
}

/** An account group event as Upvest sends it (nanosecond `created_at`, the group as `object`). */
function event(i, webhookId, at) {
	const created = new Date(at + i)
		.toISOString()
		.replace('Z', `${String(i % 1e6).padStart(6, '0')}Z`);
	const groupId = uuidFor('trigger-bench-group', i);
	return {
		id: uuidFor('trigger-bench-event', i),
		created_at: created,
		type: 'ACCOUNT_GROUP.ACTIVATED',
		object: {
			id: groupId,
			created_at: created.slice(0, 23) + 'Z',
			updated_at: created.slice(0, 23) + 'Z',
			users: [{ id: uuidFor('trigger-bench-user', i), type: 'OWNER' }],
			status: 'ACTIVE',
			type: 'PERSONAL',
			securities_account_number: String(100000000 + i),
			user_id: uuidFor('trigger-bench-user', i),
		},
		webhook_id: webhookId,
	};
}

/** `count` signed deliveries of `size` events each, every one with its own nonce and events. */
function signedDeliveries(count, size, signer) {
	const webhookId = uuidFor('trigger-bench-webhook', 0);
	const url = new URL(WEBHOOK_URL);
	const at = Date.now();
	const deliveries = [];
	for (let d = 0; d < count; d++) {
		const events = Array.from({ length: size }, (_, i) => event(d * size + i, webhookId, at));
		// Reversed, so the trigger's created_at sort has work to do, as with an unordered batch.
		const body = Buffer.from(JSON.stringify({ payload: events.reverse() }));
		const headers = {
			'content-type': 'application/json',
			'content-length': String(body.length),
			digest: digestHeader(body),
		};
		const signed = signDelivery({
			path: url.pathname,
			headers,
			privateKey: signer.privateKey,
			keyid: signer.kid,
		});
		headers['signature-input'] = signed.signatureInput;
		headers.signature = signed.signature;
		const signature = Buffer.from(/^sig1=:(.*):$/.exec(signed.signature)[1], 'base64');
		// n8n parses a JSON webhook body before the trigger runs; receive.ts reads that parse.
		const json = JSON.parse(body.toString());
		deliveries.push({ body, json, headers, base: Buffer.from(signed.base, 'utf8'), signature });
	}
	return deliveries;
}

/** The two operations on one delivery; the trigger's resolves the number of events passed on. */
function operations(modules, signer) {
	const cache = new modules.VerifyKeyCache();
	const replayGuard = new modules.ReplayGuard();
	const jwks = { keys: [signer.jwk] };
	const scope = 'bench|http://127.0.0.1:4010|client';
	const lookupKey = (keyId) => cache.lookup(scope, keyId, async () => jwks);
	async function triggerOp(delivery) {
		const request = {
			method: 'POST',
			url: new URL(WEBHOOK_URL),
			headers: delivery.headers,
			body: delivery.body,
		};
		const now = Math.floor(Date.now() / 1000);
		const verified = await modules.verifyDelivery(request, {
			lookupKey,
			replayGuard,
			toleranceSeconds: modules.DEFAULT_TOLERANCE_SECONDS,
			now,
		});
		if (!verified.ok)
			throw new Error(`the trigger refused a delivery (${verified.check}): ${verified.reason}`);
		const parsed = modules.eventsOf(delivery.json);
		if (!parsed.ok) throw new Error(`the trigger could not read a delivery: ${parsed.reason}`);
		return modules.sortByCreatedAt(parsed.value).filter((e) => modules.isSelected(e, SELECTION))
			.length;
	}
	const bareOp = (delivery) =>
		crypto.verify(
			'sha512',
			delivery.base,
			{ key: signer.publicKey, dsaEncoding: 'der' },
			delivery.signature,
		);
	return { triggerOp, bareOp, lookupKey };
}

const cpuMicros = () => {
	const { user, system } = process.cpuUsage();
	return user + system;
};

/** Wall and CPU time per delivery (CPU time: this process alone, steadier on a shared machine). */
async function timePerDelivery(op, deliveries) {
	const cpuStart = cpuMicros();
	const started = performance.now();
	let passed = 0;
	for (const delivery of deliveries) passed += Number(await op(delivery));
	return {
		us: ((performance.now() - started) * 1000) / deliveries.length,
		cpuUs: (cpuMicros() - cpuStart) / deliveries.length,
		passed,
	};
}

function newSigner() {
	const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'secp521r1' });
	const kid = crypto.randomUUID();
	const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
	return { kid, privateKey, publicKey, jwk: { kid, kty, crv, x, y } };
}

async function measureBatch(modules, signer, size, rounds) {
	const { triggerOp, bareOp, lookupKey } = operations(modules, signer);
	const warm = await lookupKey(signer.kid);
	if (!warm.ok) throw new Error(`the key cache did not take the bench key: ${warm.reason}`);
	// Every delivery the trigger sees is new (the replay guard); the bare side reuses the first ones.
	const warmUp = signedDeliveries(PER_ROUND * 3, size, signer);
	const timed = signedDeliveries(PER_ROUND * rounds, size, signer);
	for (const delivery of warmUp) {
		await triggerOp(delivery);
		if (!bareOp(delivery)) throw new Error('the bare verify refused a delivery');
	}
	const triggerUs = [];
	const bareUs = [];
	const ratios = [];
	const cpuRatios = [];
	for (let round = 0; round < rounds; round++) {
		const batch = timed.slice(round * PER_ROUND, (round + 1) * PER_ROUND);
		const runTrigger = () => timePerDelivery(triggerOp, batch);
		const runBare = () => timePerDelivery(bareOp, batch);
		const [first, second] = round % 2 === 0 ? [runTrigger, runBare] : [runBare, runTrigger];
		const a = await first();
		const b = await second();
		const [t, bare] = first === runTrigger ? [a, b] : [b, a];
		if (t.passed !== PER_ROUND * size || bare.passed !== PER_ROUND)
			throw new Error(`round ${round}: not every delivery verified (${t.passed}, ${bare.passed})`);
		triggerUs.push(t.us);
		bareUs.push(bare.us);
		ratios.push(t.us / bare.us);
		cpuRatios.push(t.cpuUs / bare.cpuUs);
	}
	const ratio = median(ratios);
	const trigger = median(triggerUs);
	const bare = median(bareUs);
	return {
		eventsPerDelivery: size,
		bodyBytes: timed[0].body.length,
		rounds,
		deliveriesPerRound: PER_ROUND,
		triggerUsPerDelivery: trigger,
		bareUsPerDelivery: bare,
		triggerDeliveriesPerSecond: 1e6 / trigger,
		bareDeliveriesPerSecond: 1e6 / bare,
		triggerEventsPerSecond: (1e6 / trigger) * size,
		ratio,
		cpuRatio: median(cpuRatios),
		target: TARGET,
		met: ratio <= TARGET,
	};
}

async function run(ctx) {
	const modules = triggerModules();
	const signer = newSigner();
	const rounds = ctx.options.quick ? 9 : 41;
	const rows = [];
	for (const size of [1, 100]) {
		const row = await measureBatch(modules, signer, size, rounds);
		rows.push(row);
		ctx.log(
			`webhook verify, ${size} event(s): trigger ${fmt.n1(row.triggerUsPerDelivery)} µs, bare ${fmt.n1(row.bareUsPerDelivery)} µs, ratio ${fmt.n2(row.ratio)} (CPU time ${fmt.n2(row.cpuRatio)})`,
		);
	}
	const label = (r) => `${r.eventsPerDelivery} event${r.eventsPerDelivery === 1 ? '' : 's'}`;
	const section = [
		'| Batch | Body | Trigger (µs / delivery) | Bare `crypto.verify` (µs) | Trigger deliveries/s | Events/s | Ratio | CPU-time ratio | Target | |',
		'|---|---:|---:|---:|---:|---:|---:|---:|---|---|',
		...rows.map(
			(r) =>
				`| ${label(r)} | ${fmt.kb(r.bodyBytes)} | ${fmt.n1(r.triggerUsPerDelivery)} | ${fmt.n1(r.bareUsPerDelivery)} | ${fmt.int(r.triggerDeliveriesPerSecond)} | ${fmt.int(r.triggerEventsPerSecond)} | ${fmt.n2(r.ratio)} | ${fmt.n2(r.cpuRatio)} | ≤ ${TARGET} | ${fmt.verdict(r.met)} |`,
		),
		'',
		'Trigger: the compiled verification path (dist/nodes/Upvest/trigger/: URL, signature headers, digest, base, key from a warm cache, ECDSA P-521 verify, replay guard, then the events taken from the JSON n8n parsed from the body, sorted by `created_at` and filtered), one delivery after another, each delivery new. ' +
			`Bare: \`crypto.verify\` of the same signature over the same base with a parsed key (no digest, no parsing). Deliveries signed by the simulator's signer with a P-521 key made for the run. Median of per-round ratios over ${rows[0].rounds} interleaved rounds of ${PER_ROUND} deliveries; the CPU-time ratio is the same from this process's CPU time, which other processes on the machine disturb less. ` +
			'With 100 events the trigger also hashes a 50 KB body and sorts its events, which the bare verify leaves out.',
	];
	return {
		rows,
		figures: Object.fromEntries(rows.map((r) => [`events${r.eventsPerDelivery}`, r.ratio])),
		summary: rows.map((r) => ({
			measure: `Webhook deliveries verified, ${label(r)} per delivery (trigger path vs bare \`crypto.verify\` of the same signature, interleaved medians)`,
			node: `${fmt.int(r.triggerDeliveriesPerSecond)} deliveries/s (${fmt.n1(r.triggerUsPerDelivery)} µs)`,
			baseline: `${fmt.int(r.bareDeliveriesPerSecond)} deliveries/s (${fmt.n1(r.bareUsPerDelivery)} µs)`,
			ratio: fmt.n2(r.ratio),
			target: `≤ ${TARGET} ${fmt.verdict(r.met)}`,
		})),
		section,
	};
}

module.exports = {
	id: 'trigger-verify',
	title: 'Webhook deliveries verified per second (Upvest Trigger)',
	needs: [],
	run,
};
