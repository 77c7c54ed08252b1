// Headless check of a kg page in a real Chromium (Debian's, driven by playwright-core; no browser download).
// usage: node check_page.mjs PAGE.html SCREENSHOT.png USER_DATA_DIR [QUERY] -> one JSON line on stdout
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";

const [page_path, shot_path, user_data_dir, query = "ANKH"] = process.argv.slice(2);
const executablePath = process.env.KG_CHROMIUM || "/usr/bin/chromium";
const args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const context = await chromium.launchPersistentContext(user_data_dir, {
  executablePath, args, headless: true, viewport: { width: 1280, height: 800 } });
const result = { console_errors: [], page_errors: [], external_requests: [], dialogs: [] };
try {
  const page = context.pages()[0] || await context.newPage();
  page.on("console", (msg) => { if (msg.type() === "error") result.console_errors.push(msg.text()); });
  page.on("pageerror", (err) => result.page_errors.push(String(err)));
  page.on("dialog", (dialog) => { result.dialogs.push(dialog.message()); dialog.dismiss(); });
  page.on("request", (req) => { if (!req.url().startsWith("file:") && !req.url().startsWith("data:"))
    result.external_requests.push(req.url()); });
  await page.goto(pathToFileURL(page_path).href, { waitUntil: "load" });
  await page.waitForFunction(() => window.kgReady === true, null, { timeout: 20000 });
  await page.waitForTimeout(300);
  // hostile labels set window.kgPwned if any of their script ran; the page has exactly its own three scripts
  result.pwned = await page.evaluate(() => (window.kgPwned === undefined ? null : window.kgPwned));
  result.scripts = await page.evaluate(() => document.scripts.length);
  result.images = await page.evaluate(() => document.images.length);
  const png = await page.locator("#cy").screenshot({ path: shot_path });
  // count pixels that differ from the canvas background, decoding the screenshot in the page itself
  Object.assign(result, await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = "data:image/png;base64," + b64;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = img.width; canvas.height = img.height;
    const ctx = canvas.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const px = ctx.getImageData(0, 0, img.width, img.height).data;
    let ink = 0;
    for (let i = 0; i < px.length; i += 4) {
      if (Math.abs(px[i] - 255) + Math.abs(px[i + 1] - 255) + Math.abs(px[i + 2] - 255) > 30) ink++;
    }
    return { pixels: img.width * img.height, ink_pixels: ink, nodes: window.kgCy.nodes("[kind = 'entity']").length,
             edges: window.kgCy.edges().length };
  }, png.toString("base64")));
  await page.fill("#search", query);
  await page.press("#search", "Enter");
  await page.waitForSelector("#card-title", { timeout: 5000 });
  result.card_title = await page.textContent("#card-title");
  result.card_text = await page.textContent("#card");
  result.matches = await page.textContent("#matches");
  result.selected = await page.evaluate(() => window.kgCy.$("node:selected").map((n) => n.id()));
  result.labels = await page.evaluate(() => window.kgCy.nodes("[kind = 'entity']").map((n) => n.data("name")));
  result.pwned_after_card = await page.evaluate(() => (window.kgPwned === undefined ? null : window.kgPwned));
  result.card_links = await page.$$eval("#card a", (as) => as.map((a) => a.href));
  // the sign filter hides edges: uncheck 'negative' and count what stays visible
  await page.uncheck("#filter-sign input[value='negative']");
  result.visible_edges_without_negative = await page.evaluate(
    () => window.kgCy.edges().filter((e) => e.style("display") !== "none").length);
  result.negative_edges = await page.evaluate(() => window.kgCy.edges("[sign = 'negative']").length);
  result.overlay_title = await page.evaluate(() => document.getElementById("overlay-toggle").hidden ? null
    : document.getElementById("overlay-title").textContent);
  result.overlay_fills = await page.evaluate(() => {
    const out = {};
    window.kgCy.nodes(".overlaid").forEach((n) => { out[n.id()] = n.style("background-color"); });
    return out;
  });
} finally {
  await context.close();
}
process.stdout.write(JSON.stringify(result) + "\n");
