import { getById } from '../../shared/operations';
import { ACCOUNTS_READ, accountIdField } from './accountId';

export const { description, prepare } = getById(
	'account',
	[accountIdField()],
	(id) => `/accounts/${id}`,
	ACCOUNTS_READ,
);
