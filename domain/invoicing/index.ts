export * from './countries';
export * from './document';
export * from './parties';
export * from './structured-communication';
export * from './texts';
export * from './vat';
export * from './vat-number';
