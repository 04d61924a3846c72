/**
 * Retries under each kind of fault the simulator injects (429 with and without Retry-After, 5xx,
 * connections broken before or after the create, and a mix) end in exactly one resource per item:
 * the same idempotency key and body on every attempt, a fresh signature each time, one token for
 * the run. Figures per kind go to test-artifacts/unit/faults-*.txt.
 */
import { writeArtifact } from '../../scripts/artifacts';
import { SLOW_TEST_MS, customers, groupsByUser } from '../support/node-builders';
import { useNodeSuite, type NodeRecord } from '../support/node-suite';
import { expectExactlyOncePerItem, faultFigures } from '../support/retry-checks';

const node = useNodeSuite(16);

const ITEMS = 40;
const onCreate = (fault: object) => ({ path: '/account_groups', ...fault });
/** A quarter of the creates answered with `status`, at most 12 times. */
const statusFault = (status: number) => [
	onCreate({ kind: 'status', status, rate: 0.25, count: 12 }),
];

const cases: Array<[string, object[], (byKey: Map<string, NodeRecord[]>) => void]> = [
	[
		'429 with Retry-After',
		[onCreate({ kind: 'status', status: 429, retryAfter: 1, rate: 0.15, count: 3 })],
		(byKey) => {
			// Retry-After is honoured: the next attempt of that item comes at least a second later.
			for (const attempts of byKey.values()) {
				attempts.forEach((record, index) => {
					if (record.status !== 429 || index + 1 >= attempts.length) return;
					const gap = Date.parse(attempts[index + 1].receivedAt) - Date.parse(record.receivedAt);
					expect(gap).toBeGreaterThanOrEqual(950);
				});
			}
		},
	],
	['429 without Retry-After', statusFault(429), () => {}],
	...[503, 500, 502, 504].map((status): [string, object[], () => void] => [
		String(status),
		statusFault(status),
		() => {},
	]),
	[
		'drop-after-create (created, answer lost)',
		[onCreate({ kind: 'drop-after-create', rate: 0.25, count: 12 })],
		() => {
			// The lost answers came back as idempotent replays of the first creation.
			expect(node.apiRecords().filter((record) => record.replayed).length).toBeGreaterThan(0);
		},
	],
	[
		'drop-before (connection broken before processing)',
		[onCreate({ kind: 'drop-before', rate: 0.25, count: 12 })],
		() => {},
	],
	[
		'mix: 10% 429 (half with Retry-After), 10% 503, 10% drop-after-create',
		[
			onCreate({ kind: 'status', status: 429, retryAfter: 1, rate: 0.05, count: 3 }),
			onCreate({ kind: 'status', status: 429, rate: 0.05, count: 6 }),
			onCreate({ kind: 'status', status: 503, rate: 0.1, count: 10 }),
			onCreate({ kind: 'drop-after-create', rate: 0.1, count: 10 }),
		],
		() => {},
	],
];

test.each(cases)(
	'%s',
	async (label, faults, extraChecks) => {
		node.sim.setFaults(faults, 4242);
		const items = customers(ITEMS);
		const startedAt = Date.now();
		// Concurrency 8 for the single-kind runs (backoff waits dominate), the default 4 for the mix.
		const concurrency = label.startsWith('mix') ? 4 : 8;
		const result = await node.run(groupsByUser({ maxAttempts: 8, concurrency }), items);
		const byKey = expectExactlyOncePerItem(node, result, items);
		// The faults really happened, and were retried.
		const faulted = node.apiRecords().filter((record) => record.fault !== undefined);
		expect(faulted.length).toBeGreaterThan(0);
		expect([...byKey.values()].some((attempts) => attempts.length > 1)).toBe(true);
		extraChecks(byKey);
		expect(node.tokenRecords()).toHaveLength(1);
		node.expectNoLeak(result);
		writeArtifact(
			`unit/faults-${label.replace(/\W+/g, '-')}.txt`,
			faultFigures(node, label, byKey, startedAt),
		);
	},
	// 40 items with backoff and Retry-After waits.
	SLOW_TEST_MS,
);
