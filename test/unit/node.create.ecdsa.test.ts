/**
 * The other signing key Upvest accepts: both create operations work with the passphrase-encrypted
 * ECDSA P-521 fixture key, every request verified against that key, one token for both runs.
 */
import { BUSINESSES, USERS, accountGroup, role } from '../support/node-builders';
import { useNodeSuite } from '../support/node-suite';
import { expectAllSignaturesValid, expectSuccess } from '../support/run-checks';

const node = useNodeSuite(4);

test('both operations work with the encrypted P-521 fixture key, signatures valid', async () => {
	const store = node.newStore('ecdsa');
	const groups = await node.run(
		accountGroup('create', { ownerType: 'user', userId: USERS[0], accountGroupType: 'PERSONAL' }),
		[{}, {}],
		{ store },
	);
	expectSuccess(node, groups, 2);
	const roles = await node.run(
		role('create', {
			entityType: 'business',
			userId: USERS[0],
			entityId: BUSINESSES[0],
			roleType: 'TRADER',
		}),
		[{}],
		{ store },
	);
	expectSuccess(node, roles, 1);
	expectAllSignaturesValid(node.sim.requests);
	for (const record of node.sim.requests)
		expect(record.signature.keyId).toBe(node.suite.client.ecdsaKeyId);
	expect(node.tokenRecords()).toHaveLength(1);
});
