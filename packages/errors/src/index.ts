/** @stratum/errors: the base error (stable code, retriable, cause) and classification of foreign errors. */
export { StratumError, defineErrorCodes, type ErrorCodeSpec, type ErrorCodeTable } from './stratum-error';
export { classifyError, isRetriable, describeError, type ErrorClass } from './classify';
