import type { OperationSpec } from '../../shared/operation';
import { recordIds, recordPath, type DictionaryLevel } from './level';

export const update = (level: DictionaryLevel): OperationSpec => ({
	value: 'update',
	name: 'Update',
	action: `Update a ${level.label.toLowerCase()}`,
	description: `Change an existing ${level.label.toLowerCase()}`,
	kind: 'write',
	method: 'PATCH',
	path: recordPath(level),
	ids: recordIds(level),
	optional: level.updateFields,
	customAttributes: level.updateCustomAttributes,
	requires: level.updateRequires,
	safeUpdate: true,
	readOnly: level.readOnly,
	returnsRecord: true,
	retrySafe: true,
});
