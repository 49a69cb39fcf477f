/** Addresses as text, defined with the socket calls (machines/socket-calls.ts). Browser-safe. */
export { endpointText } from '../../machines/socket-calls.ts';
