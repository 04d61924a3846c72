import { getById } from '../../shared/operations';
import { userIdField } from '../user/userId';

export const { description, prepare } = getById(
	'taxResidency',
	[userIdField('The user whose tax residencies to read')],
	(userId) => `/users/${userId}/tax_residencies`,
	['taxes:read', 'taxes:admin'],
);
