// The checkout pages' words in Japanese and English, and amounts and dates as KOMOJU
// shows them. A session's default_locale picks the language (ko, which KOMOJU also
// offers, is shown in English here); `?lang=ja|en` switches it.

export type Locale = "ja" | "en";

export function localeOf(requested: string | null | undefined, sessionDefault: string | undefined): Locale {
  if (requested === "ja" || requested === "en") return requested;
  return sessionDefault === "ja" ? "ja" : "en";
}

const EN = {
  title: "Checkout",
  total: "Total",
  orderSummary: "Order summary",
  quantity: "Qty",
  choose: "Payment method",
  pay: "Pay",
  language: "Language",
  localNote: "Local KOMOJU: a simulator on your machine. No money moves.",
  cardNumber: "Card number",
  expiry: "Expiry (MM / YY)",
  cvc: "Security code (CVC)",
  cardName: "Name on card",
  testCards: "Test cards (KOMOJU test mode)",
  testCardsHint: "Pick one to fill in the number; any future expiry date and any CVC work.",
  use: "Use",
  successCard: "Succeeds",
  threeDSecure: "3-D Secure",
  successCards: "Successful payment",
  frictionless: "Passes without a challenge",
  challenge: "Challenge: password 123456 passes, any other fails",
  fails_after_redirect: "Fails after the redirect to the issuer",
  fails_at_challenge: "Fails at the challenge (password 111111)",
  declined: "Declined",
  declinedCards: "Declined payment",
  invalidNumber: "Enter a valid card number.",
  invalidExpiry: "Enter a valid expiry date (MM / YY) that has not passed.",
  invalidCvc: "Enter the 3 or 4 digit security code.",
  store: "Store",
  email: "Email",
  phone: "Phone",
  familyNameKana: "Family name (katakana)",
  givenNameKana: "Given name (katakana)",
  konbiniNote: "You will get a receipt number to pay in cash at the store.",
  bankNote: "You will get the account to transfer the amount to.",
  redirectNote: (method: string) => `You will be sent to ${method} to approve the payment.`,
  continueTo: (method: string) => `Continue to ${method}`,
  konbiniTitle: "Pay at the convenience store",
  konbiniWaiting: (store: string) =>
    `Your order is reserved. It is not paid yet: pay at ${store} by the deadline below, or it will be cancelled.`,
  receipt: "Receipt number",
  confirmationCode: "Confirmation code",
  deadline: "Pay by",
  amountDue: "Amount due",
  simulateStore: "Simulate the customer paying at the store",
  simulateTransfer: "Simulate the transfer arriving",
  simulateNote: "Local KOMOJU only: captures the payment and sends the payment.captured webhook.",
  bankTitle: "Pay by bank transfer",
  bankWaiting: "Your order is reserved. It is not paid yet: transfer the amount to this account by the deadline.",
  bankName: "Bank",
  branch: "Branch",
  accountType: "Account type",
  accountNumber: "Account number",
  accountName: "Account holder",
  paidTitle: "Payment complete",
  paidText: "The payment went through.",
  authorizedTitle: "Payment authorized",
  authorizedText: "The card was authorized; the shop captures the payment later.",
  statusText: (status: string) => `The payment is ${status}.`,
  returnToShop: (merchant: string) => `Return to ${merchant}`,
  cancelledSession: "The shop cancelled this payment.",
  expiredSession: "This payment page has expired. Return to the shop to start again.",
  secureTitle: "3-D Secure authentication",
  secureIntro: (brand: string, last4: string) =>
    `Confirm this payment with the issuer of your ${brand} card ending ${last4}.`,
  password: "Password",
  passwordHint:
    "Test mode: 123456 passes; the cards that fail at the challenge fail whatever you type (KOMOJU's docs use 111111).",
  verify: "Verify",
  redirectCheck: "The issuer checked the card without a challenge.",
  continue: "Continue",
  offsiteTitle: (method: string) => `${method} (simulated)`,
  offsiteIntro: (method: string, merchant: string) => `Approve the payment to ${merchant} in ${method}?`,
  approve: "Approve payment",
  decline: "Decline",
  offsiteDeclined: (method: string) => `The payment was declined in ${method}. Choose a payment method to try again.`,
  errors: {} as Record<string, string>,
};

const JA: typeof EN = {
  title: "お支払い",
  total: "合計",
  orderSummary: "ご注文内容",
  quantity: "数量",
  choose: "お支払い方法",
  pay: "支払う",
  language: "言語",
  localNote: "ローカル KOMOJU：お使いのマシン上のシミュレーターです。実際のお金は動きません。",
  cardNumber: "カード番号",
  expiry: "有効期限（月 / 年）",
  cvc: "セキュリティコード（CVC）",
  cardName: "カード名義人",
  testCards: "テストカード（KOMOJU テストモード）",
  testCardsHint: "選ぶとカード番号に入力されます。有効期限は未来の日付、CVC は任意の数字で通ります。",
  use: "使う",
  successCard: "成功",
  threeDSecure: "3Dセキュア",
  successCards: "決済成功",
  frictionless: "チャレンジなしで成功",
  challenge: "チャレンジあり（パスワード 123456 で成功、それ以外は失敗）",
  fails_after_redirect: "カード発行会社へのリダイレクト後に失敗",
  fails_at_challenge: "チャレンジで失敗（パスワード 111111）",
  declined: "失敗",
  declinedCards: "決済失敗",
  invalidNumber: "正しいカード番号を入力してください。",
  invalidExpiry: "有効期限（月 / 年）を正しく入力してください（期限切れは使えません）。",
  invalidCvc: "3桁または4桁のセキュリティコードを入力してください。",
  store: "コンビニ",
  email: "メールアドレス",
  phone: "電話番号",
  familyNameKana: "セイ（カタカナ）",
  givenNameKana: "メイ（カタカナ）",
  konbiniNote: "お支払い番号が発行されます。コンビニで現金でお支払いください。",
  bankNote: "お振込先の口座をお知らせします。",
  redirectNote: (method) => `${method} に移動してお支払いを承認します。`,
  continueTo: (method) => `${method} へ進む`,
  konbiniTitle: "コンビニでのお支払い",
  konbiniWaiting: (store) =>
    `ご注文を受け付けました。まだお支払いは完了していません。お支払い期限までに${store}でお支払いください。期限を過ぎるとキャンセルされます。`,
  receipt: "受付番号",
  confirmationCode: "確認番号",
  deadline: "お支払い期限",
  amountDue: "お支払い金額",
  simulateStore: "店頭での支払いをシミュレートする",
  simulateTransfer: "振込の着金をシミュレートする",
  simulateNote: "ローカル KOMOJU のみ：決済を確定（captured）し、payment.captured Webhook を送ります。",
  bankTitle: "銀行振込でのお支払い",
  bankWaiting: "ご注文を受け付けました。まだお支払いは完了していません。期限までに下記の口座へお振込みください。",
  bankName: "銀行名",
  branch: "支店名",
  accountType: "口座種別",
  accountNumber: "口座番号",
  accountName: "口座名義",
  paidTitle: "お支払いが完了しました",
  paidText: "お支払いを受け付けました。",
  authorizedTitle: "オーソリが完了しました",
  authorizedText: "カードのオーソリが完了しました。売上はショップが後で確定します。",
  statusText: (status) => `この決済の状態：${status}`,
  returnToShop: (merchant) => `${merchant} に戻る`,
  cancelledSession: "この決済はショップによりキャンセルされました。",
  expiredSession: "このお支払いページは有効期限が切れています。ショップに戻ってやり直してください。",
  secureTitle: "3Dセキュア認証",
  secureIntro: (brand, last4) => `末尾 ${last4} の ${brand} カードの発行会社でこのお支払いを確認します。`,
  password: "パスワード",
  passwordHint:
    "テストモード：123456 で成功します。チャレンジで失敗するカードは何を入力しても失敗します（KOMOJU のドキュメントでは 111111）。",
  verify: "認証する",
  redirectCheck: "カード発行会社がチャレンジなしで確認しました。",
  continue: "続ける",
  offsiteTitle: (method) => `${method}（シミュレーション）`,
  offsiteIntro: (method, merchant) => `${merchant} へのお支払いを ${method} で承認しますか？`,
  approve: "支払いを承認する",
  decline: "拒否する",
  offsiteDeclined: (method) => `${method} でお支払いが拒否されました。お支払い方法を選んでやり直してください。`,
  errors: {
    "The card has insufficient funds.": "カードの残高が不足しています。",
    "The card's limit was exceeded.": "カードの利用限度額を超えています。",
    "The card's security code is incorrect.": "セキュリティコードが正しくありません。",
    "The card has expired.": "カードの有効期限が切れています。",
    "The card was declined.": "このカードはご利用いただけません。",
    "The card number is invalid.": "カード番号が無効です。",
    "3-D Secure authentication failed.": "3Dセキュア認証に失敗しました。",
    "The card was declined after 3-D Secure authentication.": "3Dセキュア認証後にカードが拒否されました。",
  },
};

export type Words = typeof EN;

export function words(locale: Locale): Words {
  return locale === "ja" ? JA : EN;
}

/** A simulator message (a decline's) in the page's language, when there is a translation. */
export function translateError(locale: Locale, message: string): string {
  const errors = words(locale).errors;
  return Object.hasOwn(errors, message) ? errors[message]! : message;
}

const METHOD_NAMES: Record<string, [ja: string, en: string]> = {
  credit_card: ["クレジットカード", "Credit card"],
  konbini: ["コンビニ払い", "Konbini (convenience store)"],
  bank_transfer: ["銀行振込", "Bank transfer"],
  pay_easy: ["ペイジー", "Pay-easy"],
  paypay: ["PayPay", "PayPay"],
  merpay: ["メルペイ", "Merpay"],
  rakutenpay: ["楽天ペイ", "Rakuten Pay"],
  linepay: ["LINE Pay", "LINE Pay"],
  aupay: ["au PAY", "au PAY"],
  paidy: ["ペイディ", "Paidy"],
  alipay: ["Alipay", "Alipay"],
  wechatpay: ["WeChat Pay", "WeChat Pay"],
};

export function methodName(locale: Locale, type: string): string {
  const names = Object.hasOwn(METHOD_NAMES, type) ? METHOD_NAMES[type] : undefined;
  if (names) return locale === "ja" ? names[0] : names[1];
  return type.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/** KOMOJU's konbini brands (the spec's enum), in the order its page lists them. */
export const STORES: Record<string, [ja: string, en: string]> = {
  "seven-eleven": ["セブン-イレブン", "7-Eleven"],
  lawson: ["ローソン", "Lawson"],
  "family-mart": ["ファミリーマート", "FamilyMart"],
  ministop: ["ミニストップ", "Ministop"],
  "daily-yamazaki": ["デイリーヤマザキ", "Daily Yamazaki"],
  seicomart: ["セイコーマート", "Seicomart"],
};

export function storeName(locale: Locale, store: string): string {
  const names = Object.hasOwn(STORES, store) ? STORES[store] : undefined;
  return names ? (locale === "ja" ? names[0] : names[1]) : store;
}

export const BRAND_NAMES: Record<string, string> = {
  visa: "Visa",
  master: "Mastercard",
  jcb: "JCB",
  american_express: "Amex",
  diners_club: "Diners",
};

/**
 * An amount as KOMOJU's API gives it, in the currency's smallest unit (yen, cents), as
 * KOMOJU's page shows it: `¥8,888` (U+00A5, also in Japanese, where ICU would write the
 * full-width ￥), `$19.99`. The number of decimals is Intl's for the currency (0 for JPY
 * and KRW, 2 for USD and EUR); an unknown code is shown as digits and code.
 */
export function formatAmount(locale: Locale, amount: number, currency: string): string {
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat(locale === "ja" ? "ja-JP" : "en-US", { style: "currency", currency });
  } catch {
    return `${amount} ${currency}`;
  }
  const decimals = format.resolvedOptions().maximumFractionDigits ?? 0;
  return format.format(amount / 10 ** decimals).replace(/\uFFE5/g, "\u00A5");
}

/** A deadline as the customer reads it, in Japan's time (the stores' and banks'). */
export function formatDeadline(locale: Locale, iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const text = new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-GB", {
    timeZone: "Asia/Tokyo",
    dateStyle: "long",
    timeStyle: "short",
  }).format(date);
  return `${text} (JST)`;
}
