import type { OperationSpec } from '../../shared/operation';
import { structuredProperties } from '../../shared/structured';
import { orderDateField, orderFields, orderIdField, orderLines, readOrderLines } from './fields';

export const update: OperationSpec = {
	value: 'update',
	name: 'Update',
	action: 'Update an order',
	description: 'Change fields or lines of an existing order',
	kind: 'write',
	method: 'PATCH',
	path: '/order/{orderId}',
	ids: [orderIdField],
	extraProperties: structuredProperties({ ...orderLines, description: 'New order lines; they replace all current lines' }),
	readExtra: readOrderLines,
	optional: [{ ...orderDateField, required: false }, ...orderFields],
	customAttributes: true,
	keyAttribute: { id: 'orderId', attribute: 'local_id' },
	requires: ['local_id', 'date'],
	safeUpdate: true,
	returnsRecord: true,
	retrySafe: true,
};
