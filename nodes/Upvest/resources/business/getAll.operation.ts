import { listAll } from '../../shared/operations';
import { BUSINESSES_READ } from './businessId';

export const { description, prepare } = listAll('business', '/businesses', BUSINESSES_READ);
