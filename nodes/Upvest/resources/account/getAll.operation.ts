import { updateDisplayOptions } from 'n8n-workflow';

import { show } from '../../shared/operations';
import { ownedByListing } from '../../shared/owners';
import { ACCOUNTS_READ } from './accountId';

const listing = ownedByListing('accounts', 'accounts', ACCOUNTS_READ);

export const description = updateDisplayOptions(show('account', 'getAll'), listing.properties);

export const prepare = listing.prepare;
