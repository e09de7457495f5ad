import type { OperationSpec } from '../../shared/operation';
import type { DictionaryLevel } from './level';

export const create = (level: DictionaryLevel): OperationSpec => ({
	value: 'create',
	name: 'Create',
	action: `Create a ${level.label.toLowerCase()}`,
	description: `Create a new ${level.label.toLowerCase()}`,
	kind: 'write',
	method: 'POST',
	path: level.path,
	ids: level.parentIds,
	fields: level.createFields,
	returnsRecord: true,
	// Every POST creates: a repeat after a lost answer could leave a duplicate.
	retrySafe: false,
});
