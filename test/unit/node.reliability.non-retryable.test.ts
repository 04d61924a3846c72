/**
 * Answers that a resend cannot change (400, 403, 404, 409, 422) are not retried, whatever Max
 * Attempts says: the item fails once with Upvest's status, detail and request ID (and for a 403
 * the scope to add), and with Continue On Fail the other items go on.
 */
import type { IDataObject } from 'n8n-workflow';

import type { RunResult } from '../support/n8n-harness';
import { UNKNOWN_ID, customers, groupsByUser, role, userId } from '../support/node-builders';
import { useNodeSuite } from '../support/node-suite';

const node = useNodeSuite(16);

test('a 404 problem+json (role on an unknown account group) is not retried and maps into the error', async () => {
	node.sim.setConfig({ checkReferences: true });
	const store = node.newStore();
	const group = await node.run(groupsByUser(), customers(1), { store });
	expect(group.error).toBeUndefined();
	const existingGroup = String(group.items[0].json.id);
	const seqBefore = node.sim.requests.length;

	const result = await node.run(
		role('create', {
			entityType: 'accountGroup',
			userId: userId(7),
			entityId: '={{ $json.group }}',
			roleType: 'GUARDIAN',
			options: { maxAttempts: 5, concurrency: 1 },
		}),
		[{ group: existingGroup }, { group: UNKNOWN_ID }, { group: existingGroup }],
		{ store },
	);
	const roleRecords = node.apiRecords(seqBefore).filter((record) => record.path === '/roles');
	// Item 0 created, item 1 refused once and not retried, the run stops there.
	expect(roleRecords.map((record) => record.status)).toEqual([200, 404]);
	const refused = roleRecords[1];
	const error = result.error as RunResult['error'] & { errorResponse?: IDataObject };
	expect(error?.name).toBe('NodeApiError');
	expect(error?.message).toBe('Upvest answered 404 Not Found [item 1]');
	expect(error?.httpCode).toBe('404');
	expect(error?.description).toBe(
		`Account group ${UNKNOWN_ID} not found — Upvest request ID: ${refused.requestId}`,
	);
	expect(error?.errorResponse).toMatchObject({
		status: 404,
		title: 'Not Found',
		detail: `Account group ${UNKNOWN_ID} not found`,
		request_id: refused.requestId,
		type: 'https://docs.upvest.co/errors/not_found',
	});
	expect(node.sim.state.roles).toHaveLength(1);
	node.expectNoLeak(result);
});

test.each([
	['400 Bad Request', 400],
	['403 Forbidden', 403],
	['409 Conflict', 409],
	['422 Unprocessable Entity', 422],
])('an injected %s is not retried (one attempt)', async (title, status) => {
	node.sim.setFaults([{ path: '/account_groups', kind: 'status', status, count: 1 }]);
	const result = await node.run(groupsByUser({ maxAttempts: 5 }), customers(2), {
		continueOnFail: true,
	});
	expect(node.apiRecords().filter((record) => record.status === status)).toHaveLength(1);
	const [failed, succeeded] = result.items;
	// The credential asks for accounts:admin, so a 403 is not put down to a missing scope.
	const advice =
		status === 403
			? ' — The credential already asks for accounts:admin, so this is not a missing scope: Upvest refused the call itself.'
			: '';
	expect(failed.json).toEqual({
		error: `Upvest answered ${title} [item 0]`,
		description: `Fault injected by the Upvest simulator${advice} — Upvest request ID: ${node.apiRecords()[0].requestId}`,
		httpCode: String(status),
	});
	expect(failed.pairedItem).toEqual({ item: 0 });
	expect(succeeded.json.user_id).toBe(userId(1));
	// Item 0 was sent once; item 1 once.
	expect(node.apiRecords()).toHaveLength(2);
	expect(node.sim.state.accountGroups).toHaveLength(1);
	node.expectNoLeak(result);
});

test('one idempotency key for two different bodies: Upvest refuses the second with 422, not retried', async () => {
	const result = await node.run(
		groupsByUser({ concurrency: 1, idempotencyKey: 'one-key-for-all' }),
		customers(2),
		{ continueOnFail: true },
	);
	expect(node.apiRecords().map((record) => record.status)).toEqual([200, 422]);
	expect(result.items[0].json.user_id).toBe(userId(0));
	expect(result.items[1].json).toMatchObject({
		error: 'Upvest answered 422 Unprocessable Entity [item 1]',
		httpCode: '422',
	});
	expect(String(result.items[1].json.description)).toContain(
		'Idempotency key was already used with a different request body',
	);
	expect(node.sim.state.accountGroups).toHaveLength(1);
	node.expectNoLeak(result);
});
