import type { OperationSpec } from '../../shared/operation';
import { catalogSortable, type CatalogItem } from './item';

export const getAll = (item: CatalogItem): OperationSpec => ({
	value: 'getAll',
	name: 'Get Many',
	action: `Get many ${item.labelPlural}`,
	description: `Retrieve a list of ${item.labelPlural}`,
	kind: 'list',
	method: 'GET',
	path: item.path,
	sortable: catalogSortable(item),
});
