import type { ResourceSpec } from '../../shared/operation';
import { create } from './create';
import { deleteRecord } from './delete';
import { get } from './get';
import { getAll } from './getAll';
import { dictionaryItemLevel, dictionaryLevel, type DictionaryLevel } from './level';
import { update } from './update';

const dictionaryResource = (level: DictionaryLevel): ResourceSpec => ({
	name: level.label,
	value: level.resource,
	operations: [create(level), update(level), get(level), getAll(level), deleteRecord(level)],
	attributes: level.attributes,
});

export const dictionary = dictionaryResource(dictionaryLevel);
export const dictionaryItem = dictionaryResource(dictionaryItemLevel);
