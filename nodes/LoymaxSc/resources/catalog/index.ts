import { apiName } from '../../shared/fields';
import type { ResourceSpec } from '../../shared/operation';
import { get } from './get';
import { getAll } from './getAll';
import { categoryItem, productItem, type CatalogItem } from './item';
import { update } from './update';
import { upsert } from './upsert';

const catalogResource = (item: CatalogItem): ResourceSpec => ({
	name: item.label,
	value: item.resource,
	operations: [upsert(item), update(item), get(item), getAll(item)],
	attributes: ['local_id', 'name', apiName(item.parentField)],
});

export const product = catalogResource(productItem);
export const productCategory = catalogResource(categoryItem);
