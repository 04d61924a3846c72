import { updateDisplayOptions } from 'n8n-workflow';

import { ownedByListing } from '../../shared/owners';

const listing = ownedByListing('account groups', 'account_groups', [
	'accounts:read',
	'accounts:admin',
]);

export const description = updateDisplayOptions(
	{ show: { resource: ['accountGroup'], operation: ['getAll'] } },
	listing.properties,
);

export const prepare = listing.prepare;
