import type { OperationSpec } from '../../shared/operation';
import { nameField, type CatalogItem } from './item';

export const upsert = (item: CatalogItem): OperationSpec => ({
	value: 'upsert',
	name: 'Create or Update',
	action: `Create or replace a ${item.label.toLowerCase()}`,
	description: 'Create a new record, or update the current one if it already exists (upsert)',
	kind: 'write',
	method: 'POST',
	path: item.path,
	fields: [
		{ ...item.idField, name: 'localId', description: `${item.idField.description}; an existing ${item.label.toLowerCase()} with this ID is replaced` },
		nameField(item),
	],
	optional: [item.parentField],
	customAttributes: true,
	replaces: item.label.toLowerCase(),
	returnsRecord: true,
	retrySafe: true,
});
