/**
 * fast-check arbitraries for the create operations' input items and batch options: values that
 * are valid, nearly valid (case, spaces, one character off) or plain garbage of any JSON type.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { BUSINESS_ROLE_TYPES, CUSTODY_TYPES, USER_GROUP_TYPES } from './node-builders';

const uuidLike = fc.oneof(
	{ weight: 14, arbitrary: fc.uuid() },
	{ weight: 2, arbitrary: fc.uuid().map((id) => id.toUpperCase()) },
	{ weight: 1, arbitrary: fc.uuid().map((id) => `  ${id}\t`) },
	{ weight: 1, arbitrary: fc.uuid().map((id) => id.slice(0, 35)) },
	{ weight: 1, arbitrary: fc.uuid().map((id) => id.replace(/-/g, '')) },
	{ weight: 1, arbitrary: fc.uuid().map((id) => `${id.slice(0, 10)}g${id.slice(11)}`) },
);
const garbage = fc.oneof(
	fc.string({ maxLength: 30 }),
	fc.string({ unit: 'binary', maxLength: 20 }),
	fc.constantFrom(
		'',
		' ',
		null,
		'null',
		'undefined',
		'{{ $json }}',
		'={{ 1 }}',
		'"; DROP TABLE',
		'\u0000',
		'💥',
	),
	fc.integer(),
	fc.double(),
	fc.boolean(),
	fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }),
	fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
);
const maybe = <T>(good: fc.Arbitrary<T>) =>
	fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: garbage });
const enumLike = (values: string[]) =>
	maybe(
		fc.oneof(
			{ weight: 10, arbitrary: fc.constantFrom(...values) },
			{
				weight: 1,
				arbitrary: fc.constantFrom(...values).map((value) => ` ${value.toLowerCase()} `),
			},
		),
	);
const sanLike = fc.oneof(
	{ weight: 4, arbitrary: fc.constant(undefined) },
	{ weight: 3, arbitrary: fc.stringMatching(/^[0-9]{9}$/) },
	{ weight: 1, arbitrary: fc.stringMatching(/^[0-9]{8}$|^[0-9]{10}$/) },
	{ weight: 1, arbitrary: fc.integer({ min: 100000000, max: 999999999 }) },
	{ weight: 1, arbitrary: garbage },
);

/** An item for `ACCOUNT_GROUP_FROM_JSON`. */
export const groupItem = fc.record({
	ownerType: enumLike(['user', 'business']),
	userId: maybe(uuidLike),
	businessId: maybe(uuidLike),
	accountGroupType: enumLike([...USER_GROUP_TYPES, 'BUSINESS']),
	san: sanLike,
}) as fc.Arbitrary<IDataObject>;

const custodyLike = fc.oneof(
	{ weight: 3, arbitrary: fc.constant(undefined) },
	{ weight: 2, arbitrary: enumLike(CUSTODY_TYPES) },
);
const roleOf = (entityTypes: string[], roleTypes: string[]) =>
	fc.record({
		entityType: enumLike(entityTypes),
		userId: maybe(uuidLike),
		entityId: maybe(uuidLike),
		roleType: enumLike(roleTypes),
		custodyType: custodyLike,
	});

/** An item for `ROLE_FROM_JSON`: mostly a guardian or a business role, sometimes mixed up. */
export const roleItem = fc.oneof(
	{ weight: 4, arbitrary: roleOf(['accountGroup'], ['GUARDIAN']) },
	{ weight: 4, arbitrary: roleOf(['business'], BUSINESS_ROLE_TYPES) },
	{
		weight: 1,
		arbitrary: roleOf(['accountGroup', 'business'], ['GUARDIAN', ...BUSINESS_ROLE_TYPES, 'CHILD']),
	},
) as fc.Arbitrary<IDataObject>;

/** Options: mostly in range, sometimes just outside or not whole numbers. */
export const batchOptions = fc.record(
	{
		concurrency: fc.oneof(
			{ weight: 8, arbitrary: fc.integer({ min: 1, max: 8 }) },
			{ weight: 1, arbitrary: fc.integer({ min: -2, max: 40 }) },
			{ weight: 1, arbitrary: fc.double({ min: 0, max: 5, noNaN: true }) },
		),
		maxAttempts: fc.oneof(
			{ weight: 8, arbitrary: fc.integer({ min: 1, max: 10 }) },
			{ weight: 1, arbitrary: fc.integer({ min: -1, max: 12 }) },
		),
	},
	{ requiredKeys: [] },
);
