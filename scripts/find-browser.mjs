// Finds the Chromium the browser tests drive, in this order: CHROMIUM_PATH, a system
// Chromium or Chrome, then the Chromium inside the @sparticuz/chromium devDependency,
// so a fresh Linux clone needs no system browser. KOMOJU_BROWSER=npm skips the first
// two (CI uses it, so CI tests what a fresh machine gets).
//
// Run directly, as `prepare` runs it after `npm ci` or `npm install`, it unpacks the npm
// Chromium when that is the one the tests will use: a browser is installed with the other
// dependencies (as Playwright's and Puppeteer's are), not by the first test run.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { arch, platform } from "node:os";
import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const SYSTEM_BROWSERS = {
  linux: ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"],
  darwin: [
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
  ],
  win32: [
    join(process.env.PROGRAMFILES ?? "C:\\Program Files", "Google\\Chrome\\Application\\chrome.exe"),
    join(process.env["PROGRAMFILES(X86)"] ?? "C:\\Program Files (x86)", "Google\\Chrome\\Application\\chrome.exe"),
  ],
};

const HOW_TO_ENABLE =
  "install Google Chrome or Chromium, or set CHROMIUM_PATH to a Chromium-based browser's executable (the npm Chromium, @sparticuz/chromium, runs on Linux x64 only)";

/** @type {import("./find-browser.d.mts").findBrowser} */
export async function findBrowser(env = process.env) {
  const forced = env.KOMOJU_BROWSER;
  if (forced !== undefined && forced !== "npm")
    throw new Error(`KOMOJU_BROWSER=${forced} is not understood: use KOMOJU_BROWSER=npm, or unset it.`);
  if (forced !== "npm") {
    if (env.CHROMIUM_PATH) {
      if (!existsSync(env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist.`);
      return { source: "CHROMIUM_PATH", executablePath: env.CHROMIUM_PATH, args: [] };
    }
    const system = (SYSTEM_BROWSERS[platform()] ?? []).find((path) => existsSync(path));
    if (system) return { source: "system", executablePath: system, args: [] };
  }
  if (platform() === "linux" && arch() === "x64") return npmChromium();
  const where = `${platform()} ${arch()}`;
  if (forced === "npm")
    throw new Error(`KOMOJU_BROWSER=npm: the npm Chromium runs on Linux x64 only, not on ${where}.`);
  // Linux is where CI runs and where the npm browser exists: never skip the test there.
  if (platform() === "linux") throw new Error(`No browser for the docs test on ${where}: ${HOW_TO_ENABLE}.`);
  return { unavailable: `No browser for the docs test on ${where}: to run it, ${HOW_TO_ENABLE}.` };
}

/**
 * Unpacks the npm Chromium once into node_modules/.cache (npm ci clears it with the
 * rest), staged in a private folder and renamed into place, so parallel runs never
 * start a half-written binary. The package unpacks into os.tmpdir(), which reads
 * TMPDIR at each call: pointing TMPDIR at the staging folder keeps it out of the
 * shared /tmp. Its NSS, NSPR and expat libraries (packed for Amazon Linux, built
 * for any glibc Linux) go on LD_LIBRARY_PATH, so the browser needs only glibc and
 * libgcc from the system.
 */
async function npmChromium() {
  const require = createRequire(import.meta.url);
  // Its entry point sits under build/ (build/cjs/index.cjs in 147).
  const entry = require.resolve("@sparticuz/chromium");
  const packageRoot = entry.slice(0, entry.lastIndexOf(`${sep}build${sep}`));
  const { version } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8"));
  const cacheRoot = fileURLToPath(new URL("../node_modules/.cache/komoju-ts/", import.meta.url));
  const dir = join(cacheRoot, `chromium-${version}`);
  if (!existsSync(join(dir, "ready"))) {
    mkdirSync(cacheRoot, { recursive: true });
    const staging = mkdtempSync(join(cacheRoot, "staging-"));
    const tmpdir = process.env.TMPDIR;
    try {
      process.env.TMPDIR = staging;
      const { default: chromium } = await import("@sparticuz/chromium");
      // The package unpacks its Amazon Linux libraries only on Amazon Linux: its own unpacker, by file.
      const lambdafs = pathToFileURL(join(packageRoot, "build", "esm", "lambdafs.js")).href;
      const { inflate } = await import(lambdafs);
      await chromium.executablePath(join(packageRoot, "bin"));
      await inflate(join(packageRoot, "bin", "al2023.tar.br"));
      writeFileSync(join(staging, "fonts.conf"), fontConfig(join(dir, "fonts"), join(dir, "fonts-cache")));
      writeFileSync(join(staging, "ready"), `@sparticuz/chromium ${version}\n`);
      renameSync(staging, dir);
    } catch (error) {
      // Another run finished first: use its copy.
      if (!existsSync(join(dir, "ready"))) throw error;
    } finally {
      if (tmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpdir;
      rmSync(staging, { recursive: true, force: true });
    }
  }
  const { default: chromium } = await import("@sparticuz/chromium");
  return {
    source: "npm",
    executablePath: join(dir, "chromium"),
    // Playwright sets headless mode itself.
    args: chromium.args.filter((arg) => !arg.startsWith("--headless")),
    env: { LD_LIBRARY_PATH: join(dir, "al2023", "lib"), FONTCONFIG_PATH: dir },
  };
}

// The package's own fonts.conf names /tmp/fonts; this one names the bundled fonts where
// they were unpacked, after the system's fonts where there are any.
const fontConfig = (fonts, cache) => `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${fonts}</dir>
  <cachedir>${cache}</cachedir>
</fontconfig>
`;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    // npm prepares a git dependency in a clone inside its cache, then packs it: no browser there.
    const cache = process.env.npm_config_cache;
    const npmCache = cache && existsSync(cache) && realpathSync(cache);
    if (!(npmCache && realpathSync(process.cwd()).startsWith(npmCache + sep))) {
      const found = await findBrowser();
      if (found.source === "npm") console.log(`The browser tests' Chromium is in ${dirname(found.executablePath)}.`);
    }
  } catch (error) {
    // The tests say the same, and try again; an install is not the place to fail for it.
    console.warn(`The browser tests' Chromium was not set up: ${error instanceof Error ? error.message : error}`);
  }
}
