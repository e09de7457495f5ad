import type { ResourceSpec } from '../../shared/operation';
import { deleteGroup } from './delete';
import { get } from './get';
import { getAll } from './getAll';
import { update } from './update';
import { uploadCodes } from './uploadCodes';
import { upsert } from './upsert';

export const promoCodeGroup: ResourceSpec = {
	name: 'Promo Code Group',
	value: 'promoCodeGroup',
	operations: [upsert, update, get, getAll, deleteGroup, uploadCodes],
	attributes: ['local_id', 'name'],
};
