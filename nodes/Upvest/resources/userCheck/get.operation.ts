import { getById } from '../../shared/operations';
import { userIdField } from '../user/userId';
import { CHECKS_READ } from './checks';

export const { description, prepare } = getById(
	'userCheck',
	[
		userIdField('The user whose check this is'),
		{
			property: {
				displayName: 'Check ID',
				name: 'checkId',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. 32cbb9a2-5d6a-4c7e-9f0b-1a2b3c4d5e6f',
				description: 'ID of the check, as User Check → Create or Get Many returned it',
			},
			label: 'Check ID',
			what: 'check ID',
		},
	],
	(userId, checkId) => `/users/${userId}/checks/${checkId}`,
	CHECKS_READ,
);
