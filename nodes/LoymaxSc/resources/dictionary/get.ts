import type { OperationSpec } from '../../shared/operation';
import { recordIds, recordPath, type DictionaryLevel } from './level';

export const get = (level: DictionaryLevel): OperationSpec => ({
	value: 'get',
	name: 'Get',
	action: `Get a ${level.label.toLowerCase()} by ID`,
	description: `Retrieve a ${level.label.toLowerCase()} by ID`,
	kind: 'read',
	method: 'GET',
	path: recordPath(level),
	ids: recordIds(level),
});
