import { listAll } from '../../shared/operations';
import { USERS_READ } from './userId';

export const { description, prepare } = listAll('user', '/users', USERS_READ);
