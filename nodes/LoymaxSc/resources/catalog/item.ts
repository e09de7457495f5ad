import type { FieldSpec } from '../../shared/fields';

/** Products and product categories share one shape: name, local_id and one parent reference. */
export interface CatalogItem {
	resource: 'product' | 'productCategory';
	label: string;
	labelPlural: string;
	path: '/product' | '/category';
	idField: FieldSpec;
	parentField: FieldSpec;
}

const idField = (label: string): FieldSpec => ({
	name: 'itemId',
	label: `${label} Local ID`,
	type: 'string',
	required: true,
	description: `ID of the ${label.toLowerCase()} in your own system (local_id)`,
});

export const productItem: CatalogItem = {
	resource: 'product',
	label: 'Product',
	labelPlural: 'products',
	path: '/product',
	idField: idField('Product'),
	parentField: { name: 'categoryId', label: 'Category Local ID', type: 'string', description: 'ID of the product category in your own system (local_id)' },
};

export const categoryItem: CatalogItem = {
	resource: 'productCategory',
	label: 'Product Category',
	labelPlural: 'product categories',
	path: '/category',
	idField: idField('Category'),
	parentField: { name: 'parentId', label: 'Parent Category Local ID', type: 'string', description: 'ID of the parent category in your own system (local_id)' },
};

export const nameField = (item: CatalogItem): FieldSpec => ({
	name: 'name',
	label: 'Name',
	type: 'string',
	required: true,
	description: `Name of the ${item.label.toLowerCase()}`,
});

export const catalogSortable = (item: CatalogItem) => ['id', 'local_id', 'name', item.resource === 'product' ? 'category_id' : 'parent_id'];
