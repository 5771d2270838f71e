// KOMOJU's documented test cards (doc.komoju.com "Test cards" and "3-D Secure" pages):
// what each number does in test mode. Any other valid-looking number succeeds.
const DECLINES: Record<string, [code: string, message: string]> = {
  "4123111111111000": ["insufficient_funds", "The card has insufficient funds."],
  "4123111111111018": ["exceeds_limit", "The card's limit was exceeded."],
  "4123111111111034": ["bad_verification_value", "The card's security code is incorrect."],
  "4123111111111042": ["card_expired", "The card has expired."],
  "4123111111111059": ["card_declined", "The card was declined."],
  "4123111111111075": ["invalid_number", "The card number is invalid."],
};
// 3-D Secure with a challenge: the password decides (123456 passes).
const CHALLENGE = new Set([
  "4100000000005000",
  "5100000000005007",
  "3528000000005006",
  "4100000000300005",
  "5100000000300002",
  "3528000000300001",
]);
export const THREE_D_SECURE_PASSWORD = "123456";

export interface CardOutcome {
  decline?: [code: string, message: string];
  challenge?: true;
}

/** `{decline: [code, message]}`, `{challenge: true}` or `{}` for a plain success. */
export function cardOutcome(number: string): CardOutcome {
  const decline = Object.hasOwn(DECLINES, number) ? DECLINES[number] : undefined;
  if (decline) return { decline };
  if (CHALLENGE.has(number)) return { challenge: true };
  return {};
}

export function cardBrand(number: string): string {
  if (/^4/.test(number)) return "visa";
  if (/^(5[1-5]|2[2-7])/.test(number)) return "master";
  if (/^35/.test(number)) return "jcb";
  if (/^3[47]/.test(number)) return "american_express";
  if (/^3(0|6|8)/.test(number)) return "diners_club";
  return "unknown";
}

/** The test cards the checkout page offers, by outcome. */
export const PAGE_CARDS = {
  success: "4111111111111111",
  decline: "4123111111111059",
  threeDSecure: "4100000000005000",
} as const;
