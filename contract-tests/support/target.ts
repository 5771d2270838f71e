import { inject } from "vitest";
import { createKomojuClient, type KomojuClientOptions } from "../../src/index.js";

export const target = inject("contractTarget");
export const isMock = target.kind === "mock";

export interface Exchange {
  request: Request;
  /** The body as sent, read from a copy before the request went out. */
  body: string;
  response: Response;
}

/**
 * A fetch to inject into the client that keeps every exchange, so tests can read
 * what went on the wire and Prism's `sl-violations` header.
 */
export function recordingFetch(exchanges: Exchange[] = []) {
  const fetchAndRecord = async (request: Request): Promise<Response> => {
    const body = await request.clone().text();
    const response = await fetch(request);
    exchanges.push({ request, body, response: response.clone() });
    return response;
  };
  return { fetch: fetchAndRecord, exchanges, last: () => exchanges[exchanges.length - 1]! };
}

export function contractClient(options: Partial<KomojuClientOptions> = {}) {
  const recorder = recordingFetch();
  const client = createKomojuClient({
    secretKey: target.secretKey,
    baseUrl: target.baseUrl,
    maxRetries: 0,
    fetch: recorder.fetch,
    ...options,
  });
  return { client, ...recorder };
}

/** Prism's verdict on an exchange: the parsed `sl-violations` header, [] when absent. */
export function violationsOf(
  headers: Headers | undefined,
): { location: string[]; code: string | number; message: string }[] {
  const raw = headers?.get("sl-violations");
  return raw ? JSON.parse(raw) : [];
}
