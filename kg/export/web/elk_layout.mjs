// Lays out graphs with ELK (the elkjs npm package pinned in package.json), without a browser.
// One request per line on stdin: a JSON array of ELK graphs; one answer per line on stdout: the JSON array of
// their layouts in the same order, or {"error": message}. The process serves until stdin closes, so that a
// Python process pays node's and ELK's start-up once.
import ELK from "elkjs/lib/elk.bundled.js";
import readline from "node:readline";

const elk = new ELK();
const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  let answer;
  try {
    const out = [];
    for (const graph of JSON.parse(line)) out.push(await elk.layout(graph));
    answer = out;
  } catch (err) {
    answer = { error: String(err && err.message ? err.message : err) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
}
