// KOMOJU's documented test cards, the one home of their numbers: what each does in test
// mode, for the simulator (sessions.ts, payments.ts) and the checkout page's list.
// Sources:
//   https://doc.komoju.com/docs/test-cards (successful cards by brand; declines)
//   https://ja.doc.komoju.com/docs/3dセキュア3dsによる決済テスト (3-D Secure cards and passwords)
// The English page gives 4123111111111067 for "invalid card", the Japanese one
// 4123111111111075: both are declined as invalid. Any other valid-looking number succeeds.

/** The successful test card of each brand (doc.komoju.com/docs/test-cards). */
export const SUCCESS_CARDS = {
  visa: "4111111111111111",
  master: "5555555555554444",
  jcb: "3530111333300000",
  american_express: "378282246310005",
  diners_club: "30569309025904",
} as const;

const DECLINES: Record<string, [code: string, message: string]> = {
  "4123111111111000": ["insufficient_funds", "The card has insufficient funds."],
  "4123111111111018": ["exceeds_limit", "The card's limit was exceeded."],
  "4123111111111034": ["bad_verification_value", "The card's security code is incorrect."],
  "4123111111111042": ["card_expired", "The card has expired."],
  "4123111111111059": ["card_declined", "The card was declined."],
  "4123111111111067": ["invalid_number", "The card number is invalid."],
  "4123111111111075": ["invalid_number", "The card number is invalid."],
};

/**
 * What 3-D Secure does with a card: passes without a challenge (`frictionless`), asks
 * for the password (`challenge`: THREE_D_SECURE_PASSWORD passes), fails once the customer
 * is back from the issuer (`fails_after_redirect`), or fails at the challenge whatever is
 * typed (`fails_at_challenge`; the docs say to type THREE_D_SECURE_FAIL_PASSWORD).
 */
export type ThreeDSecureKind = "frictionless" | "challenge" | "fails_after_redirect" | "fails_at_challenge";

/** Per kind, the Visa, Mastercard and JCB card of the Japanese 3-D Secure page. */
export const THREE_D_SECURE_CARDS: Record<ThreeDSecureKind, readonly [string, string, string]> = {
  frictionless: ["4100000000000100", "5100000000000107", "3528000000000106"],
  challenge: ["4100000000005000", "5100000000005007", "3528000000005006"],
  fails_after_redirect: ["4100000000500000", "5100000000500007", "3528000000500006"],
  fails_at_challenge: ["4100000000300005", "5100000000300002", "3528000000300001"],
};
export const THREE_D_SECURE_PASSWORD = "123456";
export const THREE_D_SECURE_FAIL_PASSWORD = "111111";

/** The 3-D Secure behaviour of a card number, if it is one of the 3-D Secure test cards. */
export function threeDSecureKind(number: string): ThreeDSecureKind | undefined {
  for (const [kind, numbers] of Object.entries(THREE_D_SECURE_CARDS))
    if (numbers.includes(number)) return kind as ThreeDSecureKind;
  return undefined;
}

export interface CardOutcome {
  decline?: [code: string, message: string];
  challenge?: true;
}

/** `{decline: [code, message]}`, `{challenge: true}` (the customer goes to the 3-D Secure page) or `{}` for a success. */
export function cardOutcome(number: string): CardOutcome {
  const decline = Object.hasOwn(DECLINES, number) ? DECLINES[number] : undefined;
  if (decline) return { decline };
  const kind = threeDSecureKind(number);
  if (kind && kind !== "frictionless") return { challenge: true };
  return {};
}

/** Why the 3-D Secure step refuses this card with this answer, or undefined when it passes. */
export function challengeRefusal(number: string, password: string | null): [code: string, message: string] | undefined {
  const kind = threeDSecureKind(number);
  if (kind === "fails_after_redirect")
    return ["card_declined", "The card was declined after 3-D Secure authentication."];
  if (kind === "fails_at_challenge" || password !== THREE_D_SECURE_PASSWORD)
    return ["card_declined", "3-D Secure authentication failed."];
  return undefined;
}

/** KOMOJU's brand names by number prefix, in the order they are tried (JCB's 35 before Diners' 3x). */
export const BRAND_PREFIXES: readonly (readonly [pattern: string, brand: string])[] = [
  ["^4", "visa"],
  ["^(5[1-5]|2[2-7])", "master"],
  ["^35", "jcb"],
  ["^3[47]", "american_express"],
  ["^3[068]", "diners_club"],
];

export function cardBrand(number: string): string {
  for (const [pattern, brand] of BRAND_PREFIXES) if (new RegExp(pattern).test(number)) return brand;
  return "unknown";
}

/** The cards the checkout page's preset buttons stand for (a form may name one instead of typing a number). */
export const PAGE_CARDS = {
  success: SUCCESS_CARDS.visa,
  decline: "4123111111111059",
  threeDSecure: THREE_D_SECURE_CARDS.challenge[0],
} as const;

/** Each decline card with its KOMOJU code, for the page's list of test cards. */
export function declineCards(): { number: string; code: string; message: string }[] {
  return Object.entries(DECLINES).map(([number, [code, message]]) => ({ number, code, message }));
}
