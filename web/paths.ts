/** Where the pages are mounted in the app: everything the browser sees lives under it. */
export const UI = '/ui';

export const importPath = (id: string) => `${UI}/imports/${encodeURIComponent(id)}`;
export const runPath = (id: string) => `${UI}/runs/${encodeURIComponent(id)}`;
