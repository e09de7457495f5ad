import type { FieldSpec } from '../../shared/fields';

/** Dictionaries and their items have the same five operations, one level apart in the path. */
export interface DictionaryLevel {
	resource: 'dictionary' | 'dictionaryItem';
	label: string;
	labelPlural: string;
	/** Collection path; `{dictionaryId}` for items. */
	path: string;
	/** Identifiers of the collection (the parent dictionary for items). */
	parentIds: FieldSpec[];
	idField: FieldSpec;
	createFields: FieldSpec[];
	updateFields: FieldSpec[];
	/** API fields an update must send (after Keep Fields Not Set filled them from the record). */
	updateRequires: string[];
	/**
	 * Only the updates: both PATCH texts allow «любые параметры» (any parameters); neither POST does
	 * (docs/api-readings.md, "Dictionaries").
	 */
	updateCustomAttributes: boolean;
	/** Attributes the platform computes, never sent back by a safe update. */
	readOnly: string[];
	/** Attributes of its records. */
	attributes: string[];
}

const dictionaryIdField: FieldSpec = {
	name: 'dictionaryId',
	label: 'Dictionary',
	type: 'locator',
	required: true,
	searchMethod: 'searchDictionaries',
	description: 'The dictionary (its ID in Loymax SC)',
};

const nameField: FieldSpec = { name: 'name', label: 'Name', type: 'string', required: true };
const codeField = (what: string): FieldSpec => ({
	name: 'code',
	label: 'Code',
	type: 'string',
	required: true,
	description: `Code of the ${what}, used to reach it through the API and in templates`,
});

export const dictionaryLevel: DictionaryLevel = {
	resource: 'dictionary',
	label: 'Dictionary',
	labelPlural: 'dictionaries',
	path: '/dictionary',
	parentIds: [],
	idField: dictionaryIdField,
	createFields: [nameField, codeField('dictionary')],
	updateFields: [
		{ ...nameField, required: false },
		{
			name: 'localId',
			label: 'Local ID',
			type: 'string',
			description:
				'ID of the dictionary in your own system. The API requires it on every update; with Keep Fields Not Set the current one is kept.',
		},
		{ ...codeField('dictionary'), required: false },
	],
	// «local_id* … Идентификатор справочника в мастер-системе пользователя»: required by the PATCH.
	updateRequires: ['local_id', 'name'],
	updateCustomAttributes: true,
	readOnly: ['is_system'],
	attributes: ['name', 'code', 'local_id', 'is_system'],
};

export const dictionaryItemLevel: DictionaryLevel = {
	resource: 'dictionaryItem',
	label: 'Dictionary Item',
	labelPlural: 'dictionary items',
	path: '/dictionary/{dictionaryId}/item',
	parentIds: [dictionaryIdField],
	idField: {
		name: 'itemId',
		label: 'Item',
		type: 'locator',
		required: true,
		searchMethod: 'searchDictionaryItems',
		description: 'The dictionary item (its ID in Loymax SC)',
	},
	createFields: [nameField, codeField('item')],
	updateFields: [{ ...nameField, required: false }],
	updateRequires: ['name'],
	updateCustomAttributes: true,
	readOnly: ['dictionary_id'],
	attributes: ['name', 'code', 'dictionary_id'],
};

export const recordPath = (level: DictionaryLevel) => `${level.path}/{${level.idField.name}}`;
export const recordIds = (level: DictionaryLevel) => [...level.parentIds, level.idField];
