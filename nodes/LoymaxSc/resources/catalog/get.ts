import type { OperationSpec } from '../../shared/operation';
import type { CatalogItem } from './item';

export const get = (item: CatalogItem): OperationSpec => ({
	value: 'get',
	name: 'Get',
	action: `Get a ${item.label.toLowerCase()}`,
	description: `Retrieve a ${item.label.toLowerCase()} by ID`,
	kind: 'read',
	method: 'GET',
	path: `${item.path}/{itemId}`,
	ids: [item.idField],
});
