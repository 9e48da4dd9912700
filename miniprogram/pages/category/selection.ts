/** Where the category tab finds the category to show: set by home's shortcuts, kept across visits. */
export const CATEGORY_STORAGE_KEY = 'category:selected';
