/**
 * Role → Deactivate as Upvest's reference page describes it: business roles only (a role on an
 * account group is refused with 403, which is not a missing scope), 202 without a body, final and
 * idempotent. The node names the real reason and never sends the user to the credential's scopes
 * when the credential has roles:admin.
 */
import { BUSINESSES, USERS, role } from '../support/node-builders';
import { useNodeSuite } from '../support/node-suite';

const node = useNodeSuite(16);

async function createRole(entityType: 'accountGroup' | 'business', entityId: string) {
	const result = await node.run(
		role('create', {
			entityType,
			userId: USERS[0],
			entityId,
			roleType: entityType === 'business' ? 'LEGAL_REPRESENTATIVE' : 'GUARDIAN',
		}),
		[{}],
	);
	expect(result.error).toBeUndefined();
	return String(result.items[0].json.id);
}

test('a guardian’s role: Upvest’s 403 is explained as business-only, not as a missing scope', async () => {
	const [group] = node.sim.seed({ accountGroups: { count: 1, type: 'CHILD' } }).accountGroups;
	const roleId = await createRole('accountGroup', group);
	const result = await node.run(role('deactivate', { roleId }), [{}]);
	expect(result.error?.message).toBe(
		'Upvest answered 403 Forbidden: Upvest deactivates business roles only [item 0]',
	);
	expect(result.error?.description).toContain('This role is on an account group (a guardian)');
	expect(result.error?.description).not.toContain('Scopes');
	// A 403 is an answer, not a fault: one attempt.
	expect(node.apiRecords().filter((record) => record.method === 'DELETE')).toHaveLength(1);
});

test('without roles:admin in the credential, the same 403 asks for the scope', async () => {
	const [group] = node.sim.seed({ accountGroups: { count: 1, type: 'CHILD' } }).accountGroups;
	const roleId = await createRole('accountGroup', group);
	const store = node.newStore('ed25519', { scopes: 'roles:read' });
	const result = await node.run(role('deactivate', { roleId }), [{}], { store });
	expect(result.error?.message).toBe('Upvest answered 403 Forbidden [item 0]');
	expect(result.error?.description).toContain('Add roles:admin to the Scopes');
});

test('a business role: 202 without a body, the item names it; a repeat is 202 again', async () => {
	const roleId = await createRole('business', BUSINESSES[0]);
	const first = await node.run(role('deactivate', { roleId }), [{}]);
	expect(first.error).toBeUndefined();
	expect(first.items[0].json).toEqual({ id: roleId, deactivated: true });
	const again = await node.run(role('deactivate', { roleId }), [{}]);
	expect(again.error).toBeUndefined();
	expect(again.items[0].json).toEqual({ id: roleId, deactivated: true });
	const got = await node.run(role('get', { roleId }), [{}]);
	expect(got.items[0].json.status).toBe('DEACTIVATED');
	const deletes = node.apiRecords().filter((record) => record.method === 'DELETE');
	expect(deletes.map((record) => [record.status, record.body])).toEqual([
		[202, ''],
		[202, ''],
	]);
});
