// Renders one MCP Apps view in Debian's chromium (headless) inside test_host.html, hands it a tool's
// input and result as a host does, and prints what a person would see as JSON on stdout:
//   node view_check.mjs --chromium /usr/bin/chromium --view view.html --result result.json
//        [--input input.json] [--theme light|dark] [--screenshot out.png] [--forward] --facts funnel|recording
// With --forward, a tools/call the view makes is written to stdout as {"call": params} and answered by the
// line {"answer": {"result": ...} | {"error": ...}} on stdin (the C++ test forwards it to a running mcpd).
// Exits 1 (with the reason on stderr) when the view throws, breaks its CSP, logs an error, gets the host
// protocol wrong or never draws; 77 when chromium or puppeteer-core is missing (the test then skips).
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const { values: opts } = parseArgs({
  options: {
    chromium: { type: "string", default: "/usr/bin/chromium" },
    view: { type: "string" },
    result: { type: "string" },
    input: { type: "string" },
    theme: { type: "string", default: "light" },
    screenshot: { type: "string" },
    facts: { type: "string" },
    forward: { type: "boolean", default: false },
    "tool-name": { type: "string" },
  },
});

function fail(reason, code = 1) {
  process.stderr.write(`view_check: ${reason}\n`);
  process.exit(code);
}

let puppeteer;
try {
  puppeteer = (await import("puppeteer-core")).default;
} catch {
  fail("puppeteer-core is not installed (run npm ci in tests/views)", 77);
}
if (!opts.view || !opts.result || !opts.facts) fail("--view, --result and --facts are required", 2);

// What each view shows, read from its DOM as a person would read the page.
const readers = {
  funnel: () => {
    const text = (node) => (node ? node.textContent.trim() : null);
    const steps = [...document.querySelectorAll("li.step")].map((step) => {
      const track = step.querySelector(".track");
      const bar = step.querySelector(".bar");
      return {
        label: text(step.querySelector(".label")),
        count: text(step.querySelector(".count")),
        bar_percent: Math.round((bar.getBoundingClientRect().width / track.getBoundingClientRect().width) * 1000) / 10,
        meter: track.getAttribute("aria-valuenow"),
        detail: text(step.querySelector(".detail")),
      };
    });
    const rows = [...document.querySelectorAll("tr.breakdown")].map((row) =>
      [...row.children].map((cell) => cell.textContent.trim()));
    return {
      title: text(document.querySelector("h1")),
      overall: text(document.getElementById("overall")),
      status: text(document.getElementById("status")),
      steps,
      breakdown_rows: rows,
      background: getComputedStyle(document.body).backgroundColor,
    };
  },
  recording: () => {
    const text = (node) => (node ? node.textContent.trim() : null);
    return {
      title: text(document.querySelector("h1")),
      status: text(document.getElementById("status")),
      answer: text(document.getElementById("answer")),
      position: text(document.getElementById("position")),
      timestamp: text(document.getElementById("timestamp")),
      redacted_badge: document.getElementById("redacted") !== null,
      frame_alt: document.getElementById("frame") ? document.getElementById("frame").alt : null,
      thumbs: [...document.querySelectorAll(".thumb span")].map((s) => s.textContent),
      key_thumbs: [...document.querySelectorAll(".thumb")].map((t) => t.classList.contains("key")),
      marks: [...document.querySelectorAll(".mark")].map((m) => ({
        left: m.style.left, key: m.classList.contains("key"), selected: m.classList.contains("selected") })),
      more_status: text(document.getElementById("more-status")),
      background: getComputedStyle(document.body).backgroundColor,
    };
  },
};
// What a person does with a view after it drew, and what it shows after each step.
const interactions = {
  funnel: async () => ({}),
  recording: async (frame) => {
    const after = {};
    if (!(await frame.$("#timeline"))) return after;
    await frame.focus("#timeline");
    await frame.page().keyboard.press("ArrowRight");
    await frame.page().keyboard.press("ArrowRight");
    after.after_two_right = await frame.evaluate(readers.recording);
    await frame.page().keyboard.press("End");
    after.after_end = await frame.evaluate(readers.recording);
    await frame.page().keyboard.press("Home");
    await frame.click("#more");
    await frame.waitForFunction(() => /more frames|Could not/.test(document.getElementById("more-status").textContent),
                                { timeout: 60000 });
    after.after_more = await frame.evaluate(readers.recording);
    return after;
  },
};
const reader = readers[opts.facts];
if (!reader) fail(`unknown --facts ${opts.facts}`, 2);

const setup = {
  viewHtml: readFileSync(opts.view, "utf8"),
  toolResult: JSON.parse(readFileSync(opts.result, "utf8")),
  toolInput: opts.input ? JSON.parse(readFileSync(opts.input, "utf8")) : {},
  theme: opts.theme,
  tool: opts["tool-name"] ? { name: opts["tool-name"] } : null,
};

let browser;
try {
  browser = await puppeteer.launch({
    executablePath: opts.chromium,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
  });
} catch (error) {
  fail(`chromium did not start (${opts.chromium}): ${error.message}`, 77);
}

const problems = [];
try {
  const page = await browser.newPage();
  page.on("pageerror", (error) => problems.push(`uncaught in the page: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning")
      problems.push(`console ${message.type()}: ${message.text()}`);
  });
  const answers = opts.forward ? createInterface({ input: process.stdin })[Symbol.asyncIterator]() : null;
  await page.exposeFunction("callTool", async (params) => {
    if (!answers) return { error: { code: -32601, message: "this test forwards no tools/call" } };
    process.stdout.write(JSON.stringify({ call: params }) + "\n");
    const line = await answers.next();
    if (line.done) return { error: { code: -32603, message: "the test stopped answering" } };
    return JSON.parse(line.value).answer;
  });
  await page.goto(pathToFileURL(resolve(here, "test_host.html")).href);
  await page.evaluate((s) => { window.hostSetup = s; window.startView(); }, setup);

  const frameHandle = await page.waitForSelector("#view");
  const frame = await frameHandle.contentFrame();
  // Drawn: the view replaced its waiting line with the result (or an error line).
  await frame.waitForFunction(
    () => document.querySelector("li.step, .thumb, .error") !== null ||
          (document.getElementById("status") && !/Waiting|Running|Reading/.test(document.getElementById("status").textContent)),
    { timeout: 30000 });
  const facts = await frame.evaluate(reader);
  const after = await interactions[opts.facts](frame);
  const host = await page.evaluate(() => ({ log: window.hostLog, errors: window.hostErrors, size: window.lastSize }));
  problems.push(...host.errors.map((e) => `host protocol: ${e}`));

  if (opts.screenshot) {
    if (host.size && host.size.height > 0)
      await page.evaluate((h) => { document.getElementById("view").style.height = `${h}px`; }, host.size.height);
    await frameHandle.screenshot({ path: opts.screenshot });
  }
  const sequence = host.log.map((entry) => `${entry.to === "host" ? "view→host" : "host→view"} ${entry.message.method ?? "(answer)"}`);
  const calls = await page.evaluate(() => window.viewCalls.map((c) => c.params));
  process.stdout.write(JSON.stringify({ facts, after, calls, sequence, size: host.size ?? null }) + "\n");
} catch (error) {
  problems.push(`the view did not draw: ${error.message}`);
} finally {
  await browser.close();
}
if (problems.length > 0) fail(problems.join("\n"));
process.exit(0);  // stdin (--forward) would otherwise keep node waiting
