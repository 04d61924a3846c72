/**
 * Checks for runs under injected faults: each attempt's nonce, a signature check by the
 * simulator's verifier (also for attempts a fault answered before verification), "exactly one
 * resource per item" over all attempts of a batch, and a one-line summary of what happened.
 */
import { verifyRequest } from '../../simulator/verify';
import type { RunResult } from './n8n-harness';
import type { NodeRecord, NodeSuite } from './node-suite';
import { testClient, type SimulatorRecord } from './simulator';

/** The nonce of a signed request. */
export function nonceOf(record: SimulatorRecord): string {
	const match = /;nonce="([^"]+)"/.exec(record.headers['signature-input'] ?? '');
	expect(match).not.toBeNull();
	return (match as RegExpExecArray)[1];
}

/** The simulator's verifier over what it received, with the test client's Ed25519 key. */
function independentlyValid(node: NodeSuite, record: SimulatorRecord) {
	return verifyRequest(
		{
			method: record.method,
			path: record.path,
			query: record.query,
			headers: record.headers,
			body: Buffer.from(record.body, 'utf8'),
		},
		{
			keys: {
				[node.suite.client.ed25519KeyId]: { publicKeys: [testClient.ed25519.publicKeyPem] },
			},
			clockSkewSeconds: 120,
			maxSignatureAgeSeconds: 300,
		},
	) as { valid: boolean; error?: string };
}

/**
 * Checks one batch of account-group creates after faults: per idempotency key the same body on
 * every attempt, a fresh nonce and a valid signature each time, exactly one creation (a 200 not
 * replayed, or a create whose answer was dropped) and exactly one 200; one resource per item in
 * the simulator; each output item is its resource as stored. Answers the attempts by key.
 */
export function expectExactlyOncePerItem(
	node: NodeSuite,
	result: RunResult,
	items: Array<{ userId: string }>,
): Map<string, NodeRecord[]> {
	expect(result.error).toBeUndefined();
	expect(result.items).toHaveLength(items.length);
	const byKey = new Map<string, NodeRecord[]>();
	for (const record of node.apiRecords()) {
		expect(record.idempotencyKey).toBeDefined();
		const key = record.idempotencyKey as string;
		byKey.set(key, [...(byKey.get(key) ?? []), record]);
	}
	expect(byKey.size).toBe(items.length);
	const nonces = new Set<string>();
	for (const [key, attempts] of byKey) {
		expect(new Set(attempts.map((record) => record.body)).size).toBe(1);
		for (const record of attempts) {
			const nonce = nonceOf(record);
			expect(nonces.has(nonce)).toBe(false);
			nonces.add(nonce);
			const check = independentlyValid(node, record);
			expect({ key, seq: record.seq, valid: check.valid, error: check.error }).toEqual({
				key,
				seq: record.seq,
				valid: true,
				error: undefined,
			});
			if (record.signature !== null) expect(record.signature.valid).toBe(true);
		}
		const created = attempts.filter(
			(record) =>
				!record.replayed &&
				(record.status === 200 || record.fault?.includes('drop-after-create') === true),
		);
		expect({ key, created: created.length }).toEqual({ key, created: 1 });
		expect({ key, ok: attempts.filter((record) => record.status === 200).length }).toEqual({
			key,
			ok: 1,
		});
		expect(attempts[attempts.length - 1].status).toBe(200);
	}
	// One resource per item, none twice.
	const stored = node.sim.state.accountGroups;
	expect(stored).toHaveLength(items.length);
	expect(new Set(stored.map((group) => group.user_id)).size).toBe(items.length);
	expect(new Set(stored.map((group) => group.user_id))).toEqual(
		new Set(items.map((item) => item.userId)),
	);
	// Every item succeeded, in input order, with the API's JSON of its one resource.
	result.items.forEach((item, index) => {
		expect(item.pairedItem).toEqual({ item: index });
		expect(item.json.error).toBeUndefined();
		expect(item.json.user_id).toBe(items[index].userId);
		const resource = stored.find((group) => group.id === item.json.id);
		expect(item.json).toEqual(JSON.parse(JSON.stringify(resource)));
	});
	return byKey;
}

/** One line for test-artifacts: items, resources, attempts, faults, replays, token requests, time. */
export function faultFigures(
	node: NodeSuite,
	label: string,
	byKey: Map<string, NodeRecord[]>,
	startedAt: number,
): string {
	const attempts = [...byKey.values()].map((list) => list.length);
	const faults: Record<string, number> = {};
	for (const record of node.apiRecords()) {
		for (const fault of record.fault?.split(',') ?? []) faults[fault] = (faults[fault] ?? 0) + 1;
	}
	const replays = node.apiRecords().filter((record) => record.replayed).length;
	return [
		`${label}: ${byKey.size} items`,
		`${node.sim.state.accountGroups.length} resources`,
		`${attempts.reduce((a, b) => a + b, 0)} attempts (max ${Math.max(...attempts)} per item)`,
		`faults ${JSON.stringify(faults)}`,
		`replays ${replays}`,
		`token requests ${node.tokenRecords().length}`,
		`${Date.now() - startedAt} ms`,
	].join(', ');
}
