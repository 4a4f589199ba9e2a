/** Currency codes are ISO 4217 upper-case letters. */
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;
