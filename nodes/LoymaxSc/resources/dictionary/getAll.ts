import type { OperationSpec } from '../../shared/operation';
import type { DictionaryLevel } from './level';

export const getAll = (level: DictionaryLevel): OperationSpec => ({
	value: 'getAll',
	name: 'Get Many',
	action: `Get many ${level.labelPlural}`,
	description: `Retrieve a list of ${level.labelPlural}`,
	kind: 'list',
	method: 'GET',
	path: level.path,
	ids: level.parentIds,
	sortable: ['id', 'name', 'code'],
});
