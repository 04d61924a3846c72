import { getById } from '../../shared/operations';
import { USERS_READ, userIdField } from './userId';

export const { description, prepare } = getById(
	'user',
	[userIdField()],
	(id) => `/users/${id}`,
	USERS_READ,
);
