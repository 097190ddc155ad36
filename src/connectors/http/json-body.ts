/** Turning a successful response's text into JSON, with the failure classed as the server's. */
import { UpstreamError } from '../../core/errors.js';

/** `JSON.parse(text)`; a body that is not JSON is an `UpstreamError` naming the request and status. */
export function parseJsonBody(text: string, request: string, status: number): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UpstreamError(`${request}: HTTP ${status} body is not JSON`, status, { cause: err });
  }
}
