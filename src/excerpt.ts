/** At most this much of an unexpected body is kept on an error, so logs stay readable. */
const BODY_EXCERPT_LENGTH = 500;

export function excerpt(body: string): string {
  return body.length > BODY_EXCERPT_LENGTH
    ? `${body.slice(0, BODY_EXCERPT_LENGTH)}… (${body.length} characters)`
    : body;
}
