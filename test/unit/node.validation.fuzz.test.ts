/**
 * A seeded fast-check fuzz over the creates' parameters, given through expressions: the node either
 * sends bodies inside the documented contract (and outputs what each item asked for) or stops with
 * a NodeOperationError naming a field and an item before sending anything. Never a crash, never a
 * secret in the output. What the runs covered goes to test-artifacts/unit/fuzz.json.
 */
import fc from 'fast-check';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { writeArtifact } from '../../scripts/artifacts';
import { batchOptions, groupItem, roleItem } from '../support/create-arbitraries';
import { bodyProblem, expectReflectsInput } from '../support/create-contract';
import type { RunResult } from '../support/n8n-harness';
import { ACCOUNT_GROUP_FROM_JSON, ROLE_FROM_JSON, SLOW_TEST_MS } from '../support/node-builders';
import { useNodeSuite } from '../support/node-suite';

const node = useNodeSuite(4);

const FIELD_LABELS =
	/^(Owner Type|User ID|Business ID|Account Group Type|Securities Account Number|Entity Type|Account Group ID|Role Type|Custody Type|Concurrency|Max Attempts) .* \[item (\d+)\]$/;

/** How often each field was the one an error named. */
const namedFields = new Map<string, number>();

function expectSpecOrFieldError(
	result: RunResult,
	path: string,
	inputs: IDataObject[],
	seqBefore: number,
) {
	const sent = node.apiRecords(seqBefore);
	if (result.error === undefined) {
		expect(result.items).toHaveLength(inputs.length);
		expect(sent).toHaveLength(inputs.length);
		for (const record of sent) {
			expect({ body: record.body, problem: bodyProblem(path, record.body) }).toEqual({
				body: record.body,
				problem: undefined,
			});
			expect(record.status).toBe(200);
			expect(record.signature.valid).toBe(true);
		}
		result.items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(typeof item.json.id).toBe('string');
			expectReflectsInput(path, inputs[index], item.json);
		});
	} else {
		expect({ name: result.error.name, message: result.error.message }).toEqual({
			name: 'NodeOperationError',
			message: expect.stringMatching(FIELD_LABELS),
		});
		const [, field, itemIndex] = FIELD_LABELS.exec(result.error.message) ?? [];
		namedFields.set(field, (namedFields.get(field) ?? 0) + 1);
		expect(Number(itemIndex)).toBeLessThan(inputs.length);
		expect(typeof result.error.description).toBe('string');
		expect(String(result.error.description).length).toBeGreaterThan(10);
		expect(sent).toHaveLength(0);
	}
	node.expectNoLeak(result);
}

/** What the fuzz runs covered, for people to read in test-artifacts/unit/fuzz.json. */
const fuzzFigures: Record<string, unknown> = {};

describe('fuzz (fast-check, fixed seed)', () => {
	afterAll(() => {
		fuzzFigures.fieldsNamedInErrors = Object.fromEntries(namedFields);
		writeArtifact('unit/fuzz.json', fuzzFigures);
	});

	test.each([
		{
			name: 'account groups',
			figure: 'accountGroups',
			parameters: ACCOUNT_GROUP_FROM_JSON,
			path: '/account_groups',
			item: groupItem,
			seed: 20240611,
		},
		{
			name: 'roles',
			figure: 'roles',
			parameters: ROLE_FROM_JSON,
			path: '/roles',
			item: roleItem,
			seed: 20240612,
		},
	])(
		'$name: a spec body or a field error, never a crash',
		async ({ figure, parameters, path, item, seed }) => {
			const store = node.newStore();
			let successes = 0;
			let failures = 0;
			await fc.assert(
				fc.asyncProperty(
					fc.array(item, { minLength: 1, maxLength: 3 }),
					batchOptions,
					async (items, options) => {
						const seqBefore = node.sim.requests.length;
						const result = await node.run(
							{ ...parameters, options: options as INodeParameters },
							items,
							{ store },
						);
						expectSpecOrFieldError(result, path, items, seqBefore);
						if (result.error === undefined) successes++;
						else failures++;
					},
				),
				{ numRuns: 50, seed },
			);
			// The generators hit both outcomes, or the property proves little.
			fuzzFigures[figure] = { sentSpecBodies: successes, stoppedWithFieldError: failures };
			expect(successes).toBeGreaterThanOrEqual(5);
			expect(failures).toBeGreaterThanOrEqual(5);
		},
		// 50 n8n executions each.
		SLOW_TEST_MS,
	);
});
