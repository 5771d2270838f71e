import { type KomojuError, KomojuInvalidResponseError } from "./errors.js";

/**
 * What an operation's 2xx carries: a JSON object, a JSON array, any JSON or nothing
 * (`json`, the raw methods), or no body worth reading (`none`).
 */
export type Expect = "object" | "array" | "json" | "none";

/**
 * Reads a body as text, counting decoded bytes (what a gzip body becomes, not what it
 * weighs on the wire) and refusing more than `limit` without buffering them.
 */
export async function readText(response: Response, limit: number, tooLarge: () => KomojuError): Promise<string> {
  const encoded = response.headers.get("content-encoding");
  const declared = response.headers.get("content-length");
  if ((!encoded || encoded === "identity") && /^\d+$/.test(declared ?? "")) {
    // Unencoded with a length: refused up front when too long, else read whole, which
    // costs far less than streaming. The bytes are still counted: an injected fetch may
    // hand over more than its header says.
    const bytes = Number(declared) > limit ? await response.body?.cancel() : await response.arrayBuffer();
    if (bytes && bytes.byteLength <= limit) return new TextDecoder().decode(bytes);
    throw tooLarge();
  }
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  // Throwing inside the loop cancels the stream, so the rest of a refused body is not downloaded.
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge();
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

/** An error answer's body parsed, or undefined when it is not JSON (an HTML page from a proxy, say). */
export function parseErrorBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A 2xx body as the operation declares it, or a KomojuInvalidResponseError saying why
 * not. `where` names the call (its method and path), `extra` goes on the error.
 */
export function parseSuccessBody(
  text: string,
  status: number,
  expect: Expect,
  where: string,
  extra: { idempotencyKey: string | undefined; status: number; headers: Headers },
): unknown {
  if (expect === "none" || (expect === "json" && (text === "" || status === 204 || status === 205))) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new KomojuInvalidResponseError(
      `${where}: HTTP ${status} body is ${text ? "not JSON" : "empty"}.`,
      "invalid_json",
      {
        ...extra,
        body: text,
        cause,
      },
    );
  }
  const fits =
    expect === "json" ||
    (expect === "array" ? Array.isArray(data) : data !== null && typeof data === "object" && !Array.isArray(data));
  if (!fits) {
    throw new KomojuInvalidResponseError(`${where}: HTTP ${status} body is not a JSON ${expect}.`, "unexpected_body", {
      ...extra,
      body: text,
    });
  }
  return data;
}
