import { getById } from '../../shared/operations';
import { BUSINESSES_READ, businessIdField } from './businessId';

export const { description, prepare } = getById(
	'business',
	[businessIdField()],
	(id) => `/businesses/${id}`,
	BUSINESSES_READ,
);
