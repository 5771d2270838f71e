// The frame of every checkout page: the shop's bar with the language switch, the order
// summary (merchant, total, line items) beside the payment panel (stacked on a phone),
// and one inline style sheet: no external asset, so the page works offline.
import { type Locale, words } from "./i18n.js";

export const escapeHtml = (text: unknown) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#f2f4f7;color:#1f2933;font:15px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI","Hiragino Sans","Hiragino Kaku Gothic ProN",Meiryo,"Noto Sans JP",Roboto,sans-serif}
a{color:#1a56db}
.bar{background:#fff;border-bottom:1px solid #e4e7ec}
.bar-in{max-width:980px;margin:0 auto;padding:.75rem 1rem;display:flex;align-items:center;justify-content:space-between;gap:1rem}
.shop{font-weight:700;font-size:1.05rem;overflow-wrap:anywhere}
.lang{display:flex;gap:.25rem;font-size:.85rem}
.lang a{padding:.2rem .55rem;border:1px solid #d0d5dd;border-radius:999px;text-decoration:none;color:#344054;white-space:nowrap}
.lang a[aria-current=true]{background:#1f2933;border-color:#1f2933;color:#fff}
.wrap{max-width:980px;margin:0 auto;padding:1.25rem 1rem 2rem;display:grid;gap:1.25rem;grid-template-columns:minmax(0,1fr)}
@media (min-width:800px){.wrap{grid-template-columns:minmax(0,5fr) minmax(0,7fr);padding-top:2.5rem;gap:2.5rem}}
.summary h2,.panel-card h2{font-size:.8rem;letter-spacing:.06em;text-transform:uppercase;color:#667085;margin:0 0 .5rem;font-weight:600}
.total-label{color:#667085;margin:0}
.total{font-size:2.1rem;font-weight:700;margin:.1rem 0 1rem;letter-spacing:-.01em;font-variant-numeric:tabular-nums}
.items{list-style:none;margin:0;padding:0;border-top:1px solid #e4e7ec}
.items li{display:flex;justify-content:space-between;gap:1rem;padding:.6rem 0;border-bottom:1px solid #e4e7ec}
.items .qty{color:#667085;font-size:.85rem;display:block}
.items .price{font-variant-numeric:tabular-nums;white-space:nowrap}
.panel-card{background:#fff;border-radius:14px;box-shadow:0 1px 3px rgba(16,24,40,.08),0 8px 24px rgba(16,24,40,.06);padding:1.25rem}
@media (min-width:800px){.panel-card{padding:1.75rem}}
.methods{display:grid;gap:.6rem}
.method{border:1px solid #d0d5dd;border-radius:10px;background:#fff}
.method:has(>input:checked){border-color:#1a56db;box-shadow:0 0 0 1px #1a56db}
.method>input{position:absolute;opacity:0;width:1px;height:1px}
.method>label{display:flex;align-items:center;gap:.6rem;padding:.85rem 1rem;cursor:pointer;font-weight:600}
.method>label::before{content:"";flex:none;width:1.05rem;height:1.05rem;border:2px solid #98a2b3;border-radius:50%;box-sizing:border-box}
.method>input:checked+label::before{border:5px solid #1a56db}
.method>input:focus-visible+label{outline:2px solid #1a56db;outline-offset:2px;border-radius:10px}
.method>label{flex-wrap:wrap}
.method .logos{margin-left:auto;display:flex;flex-wrap:wrap;gap:.25rem;justify-content:flex-end}
@media (max-width:480px){.method .logos{flex-basis:100%;justify-content:flex-start;margin-left:1.65rem}}
.panel{display:none;padding:0 1rem 1rem}
.method>input:checked~.panel{display:block}
.field{margin:0 0 .85rem}
.field label{display:block;font-size:.85rem;font-weight:600;margin:0 0 .3rem;color:#344054}
input[type=text],input[type=email],input[type=tel],input[type=password],select{width:100%;font:inherit;font-size:16px;padding:.65rem .75rem;border:1px solid #d0d5dd;border-radius:8px;background:#fff;color:inherit}
input:focus,select:focus{outline:none;border-color:#1a56db;box-shadow:0 0 0 3px rgba(26,86,219,.18)}
input[aria-invalid=true]{border-color:#d92d20}
.row{display:grid;grid-template-columns:1fr 1fr;gap:.75rem}
.with-brand{position:relative}
.with-brand input{padding-right:5.75rem}
.with-brand .brand{position:absolute;right:.5rem;top:50%;transform:translateY(-50%)}
.logo{display:inline-block;font-size:.7rem;font-weight:800;letter-spacing:.02em;padding:.15rem .4rem;border-radius:4px;border:1px solid #d0d5dd;color:#344054;background:#fff;white-space:nowrap}
.logo.visa{color:#1a1f71}.logo.master{color:#eb001b}.logo.jcb{color:#0e4c96}.logo.american_express{color:#006fcf}.logo.diners_club{color:#004a97}
.brand .logo{font-size:.75rem}
.fielderr{color:#d92d20;font-size:.8rem;margin:.25rem 0 0}
.primary{display:block;width:100%;border:0;border-radius:8px;background:#1a56db;color:#fff;font:inherit;font-weight:700;font-size:1rem;padding:.85rem 1rem;cursor:pointer;text-align:center;text-decoration:none}
.primary:hover{background:#1447b8}
.secondary{display:block;width:100%;border:1px solid #d0d5dd;border-radius:8px;background:#fff;color:#344054;font:inherit;font-weight:600;padding:.75rem 1rem;cursor:pointer;text-align:center;text-decoration:none;margin-top:.6rem}
.stores{display:grid;grid-template-columns:repeat(auto-fill,minmax(8rem,1fr));gap:.5rem;margin:0 0 .85rem;border:0;padding:0}
.stores legend{font-size:.85rem;font-weight:600;margin:0 0 .3rem;color:#344054;padding:0}
.store{display:flex;align-items:center;gap:.45rem;border:1px solid #d0d5dd;border-radius:8px;padding:.55rem .65rem;cursor:pointer;font-size:.9rem}
.store:has(input:checked){border-color:#1a56db;background:#eff4ff}
.note{color:#667085;font-size:.85rem;margin:.25rem 0 .85rem}
.alert{background:#fef3f2;border:1px solid #fecdca;color:#b42318;border-radius:8px;padding:.7rem .85rem;margin:0 0 1rem}
.info{background:#fffaeb;border:1px solid #fedf89;color:#93370d;border-radius:8px;padding:.7rem .85rem;margin:0 0 1rem}
.ok{background:#ecfdf3;border:1px solid #abefc6;color:#067647;border-radius:8px;padding:.7rem .85rem;margin:0 0 1rem}
details.tests{margin-top:1rem;font-size:.85rem}
details.tests summary{cursor:pointer;color:#1a56db;font-weight:600}
details.tests h3{font-size:.8rem;margin:.85rem 0 .2rem;color:#344054}
.cards{list-style:none;margin:0;padding:0}
.cards li{display:grid;grid-template-columns:minmax(0,1fr) auto;align-items:center;gap:.1rem .5rem;padding:.45rem 0;border-bottom:1px solid #eaecf0}
.cards .card{display:flex;flex-wrap:wrap;align-items:center;gap:.2rem .5rem}
.cards code{font-size:.85rem;white-space:nowrap}
.cards .what{grid-column:1/3;color:#667085;font-size:.8rem}
.cards button{font:inherit;font-size:.8rem;padding:.2rem .6rem;border:1px solid #d0d5dd;border-radius:6px;background:#fff;cursor:pointer;white-space:nowrap}
dl.facts{display:grid;grid-template-columns:auto 1fr;gap:.5rem 1rem;margin:0 0 1rem}
dl.facts dt{color:#667085}
dl.facts dd{margin:0;font-weight:600;overflow-wrap:anywhere;font-variant-numeric:tabular-nums}
.big{font-size:1.35rem;letter-spacing:.04em}
.sim{margin-top:1.25rem;padding-top:1rem;border-top:1px dashed #d0d5dd}
.sim button{background:#fff;color:#067647;border:1px solid #067647}
.foot{max-width:980px;margin:0 auto;padding:0 1rem 2rem;color:#98a2b3;font-size:.8rem;text-align:center}
h1.page{font-size:1.3rem;margin:0 0 .75rem}`;

export interface Frame {
  locale: Locale;
  title: string;
  merchant: string;
  /** The link of each language choice; omitted, there is no switch. */
  switchHref?: (locale: Locale) => string;
  /** The order summary column; omitted, the panel takes the width. */
  summary?: string;
  main: string;
  script?: string;
}

function languageSwitch(frame: Frame): string {
  if (!frame.switchHref) return "";
  const link = (locale: Locale, label: string) =>
    `<a href="${escapeHtml(frame.switchHref!(locale))}" lang="${locale}" hreflang="${locale}" aria-current="${frame.locale === locale}">${label}</a>`;
  return `<nav class="lang" aria-label="${escapeHtml(words(frame.locale).language)}">${link("ja", "日本語")}${link("en", "English")}</nav>`;
}

export function documentHtml(frame: Frame): string {
  const t = words(frame.locale);
  return `<!doctype html><html lang="${frame.locale}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(frame.title)} · ${escapeHtml(frame.merchant)}</title>
<style>${STYLE}</style></head><body>
<header class="bar"><div class="bar-in"><span class="shop" data-testid="merchant">${escapeHtml(frame.merchant)}</span>${languageSwitch(frame)}</div></header>
<div class="wrap">${frame.summary ?? ""}<main class="panel-card"${frame.summary ? "" : ' style="grid-column:1/-1;max-width:560px;width:100%;justify-self:center"'}>${frame.main}</main></div>
<footer class="foot">Powered by KOMOJU · ${escapeHtml(t.localNote)}</footer>
${frame.script ? `<script>${frame.script}</script>` : ""}</body></html>`;
}

export function alertHtml(message: string | undefined): string {
  return message ? `<p class="alert" role="alert">${escapeHtml(message)}</p>` : "";
}

/** A same-origin link to a checkout path in the given language (and any other query). */
export function pathWith(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
