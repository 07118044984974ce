export { multiplierOf, priceMinutes } from './by-started-minute';
export { monthlyContractFeeLine } from './contract-fees';
export { PricingError } from './errors';
export type { PricingErrorCode } from './errors';
export type { PriceLine } from './lines';
export type { PrepaidBalance } from './prepaid';
export { billingOf, priceRequest } from './price-request';
export type { Price, PricingItem, PricingRequest } from './price-request';
export type { Trip } from './travel';
