/**
 * A customer's personal data appears only in the node's output items: never in an error (also
 * when Upvest's answer repeats what it was sent), an error item, or anywhere else in the run
 * data. Each customer carries values no other data contains, and every run is searched for them.
 */
import type { IDataObject, INodeParameters, IRun } from 'n8n-workflow';

import type { RunResult } from '../support/n8n-harness';
import { useNodeSuite } from '../support/node-suite';
import {
	ONBOARDING_SCOPES,
	createCheck,
	createUser,
	customer,
	personalValues,
} from '../support/onboarding-builders';
import { serializeForSearch } from '../support/secrets';
import { recordFigures } from '../../scripts/figures';

const node = useNodeSuite(24);
const store = () => node.newStore('ed25519', { scopes: ONBOARDING_SCOPES });

/** Bytes searched over the whole file, written to test-artifacts/personal-data.json. */
let searched = 0;
let values = 0;
afterAll(() => {
	recordFigures('personal-data.json', 'unit', {
		bytesSearched: searched,
		valuesSought: values,
		hits: 0,
	});
});

/** The run without the items that legitimately carry the data: the node's input and output. */
function runWithoutItems(run: IRun): unknown {
	const copy = JSON.parse(JSON.stringify(run)) as IRun;
	for (const task of copy.data.resultData.runData.Upvest ?? []) delete task.data;
	for (const entry of copy.data.executionData?.nodeExecutionStack ?? []) {
		(entry as { data?: unknown }).data = undefined;
	}
	return copy;
}

/** Nothing of `values` outside the output items: in the error, error items, or the run data. */
function expectOnlyInOutput(result: RunResult, sought: string[]) {
	const errorItems = result.items.filter((item) => item.json.error !== undefined);
	const text = [
		serializeForSearch(result.error),
		serializeForSearch(errorItems),
		serializeForSearch(runWithoutItems(result.run)),
	].join('\n');
	searched += text.length;
	values += sought.length;
	for (const value of sought) expect(text).not.toContain(value);
}

test('a successful onboarding: the data is in the output items and nowhere else', async () => {
	const users = await node.run(createUser('tol'), [customer(0), customer(1)], { store: store() });
	expect(users.error).toBeUndefined();
	expect(users.items[0].json.last_name).toBe(customer(0).lastName);
	expectOnlyInOutput(users, [...personalValues(0), ...personalValues(1)]);

	const input = { ...customer(0), userId: users.items[0].json.id };
	const check = await node.run(createCheck('KYC'), [input], { store: store() });
	expect(check.items[0].json.data_download_link).toBe(customer(0).documentLink);
	expectOnlyInOutput(check, personalValues(0));

	const read = await node.run(
		{ resource: 'user', operation: 'getAll', returnAll: true } as INodeParameters,
		[{}],
		{ store: store() },
	);
	expect(read.items).toHaveLength(2);
	expectOnlyInOutput(read, [...personalValues(0), ...personalValues(1)]);
});

test('Upvest’s 400 that repeats the submitted values: the error carries them redacted', async () => {
	const person = customer(2);
	node.sim.setFaults([
		{
			path: '/users',
			method: 'POST',
			kind: 'status',
			status: 400,
			count: 1,
			detail: `first_name ${String(person.firstName)} and address_line1 ${String(person.street).toUpperCase()} are not accepted`,
		},
	]);
	const result = await node.run(createUser('byol'), [person], { store: store() });
	expect(result.error?.message).toBe('Upvest answered 400 Bad Request [item 0]');
	expect(result.error?.description).toContain(
		'first_name [redacted] and address_line1 [redacted] are not accepted',
	);
	expectOnlyInOutput(result, personalValues(2));
});

test('Continue On Fail: error items of invalid and refused items carry no personal data', async () => {
	const broken: IDataObject = { ...customer(3), postcode: `${String(customer(3).lastName)}#` };
	node.sim.setFaults([
		{
			path: '/users',
			method: 'POST',
			kind: 'status',
			status: 422,
			count: 1,
			detail: `duplicate person: ${String(customer(4).firstName)} ${String(customer(4).lastName)}`,
		},
	]);
	const result = await node.run(
		createUser('byol', { options: { concurrency: 1 } }),
		[broken, customer(4), customer(5)],
		{
			store: store(),
			continueOnFail: true,
		},
	);
	expect(result.items.map((item) => item.json.error ?? 'ok')).toEqual([
		'Address: Postcode must be 1 to 10 characters long, got 14 [item 0]',
		'Upvest answered 422 Unprocessable Entity [item 1]',
		'ok',
	]);
	expect(result.items[1].json.description).toContain('duplicate person: [redacted] [redacted]');
	expectOnlyInOutput(result, [...personalValues(3), ...personalValues(4)]);
});
