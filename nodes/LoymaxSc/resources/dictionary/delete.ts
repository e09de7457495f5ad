import type { OperationSpec } from '../../shared/operation';
import { recordIds, recordPath, type DictionaryLevel } from './level';

export const deleteRecord = (level: DictionaryLevel): OperationSpec => ({
	value: 'delete',
	name: 'Delete',
	action: `Delete a ${level.label.toLowerCase()}`,
	description: `Delete a ${level.label.toLowerCase()}`,
	kind: 'delete',
	method: 'DELETE',
	path: recordPath(level),
	ids: recordIds(level),
	retrySafe: true,
});
