import type { OperationSpec } from '../../shared/operation';
import { nameField, type CatalogItem } from './item';

export const update = (item: CatalogItem): OperationSpec => ({
	value: 'update',
	name: 'Update',
	action: `Update a ${item.label.toLowerCase()}`,
	description: `Change fields of an existing ${item.label.toLowerCase()}`,
	kind: 'write',
	method: 'PATCH',
	path: `${item.path}/{itemId}`,
	ids: [item.idField],
	optional: [{ ...nameField(item), required: false }, item.parentField],
	customAttributes: true,
	keyAttribute: { id: 'itemId', attribute: 'local_id' },
	requires: ['name', 'local_id'],
	safeUpdate: true,
	returnsRecord: true,
	retrySafe: true,
});
