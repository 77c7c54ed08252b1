import ELK from "elkjs/lib/elk.bundled.js";
import fs from "node:fs";
const graphs = JSON.parse(fs.readFileSync(process.argv[2]));
const elk = new ELK();
const variants = JSON.parse(process.argv[3] || "[{}]");
await elk.layout(structuredClone(graphs[0]));
for (const v of variants) {
  const g = structuredClone(graphs[0]);
  for (const [k, val] of Object.entries(v)) { if (val === null) delete g.layoutOptions[k]; else g.layoutOptions[k] = val; }
  if (v.noports) { for (const c of g.children) { delete c.ports; c.layoutOptions = {"elk.partitioning.partition": c.layoutOptions["elk.partitioning.partition"]}; } for (const e of g.edges) { e.sources = [e.sources[0].replace(/\.s$/, "")]; e.targets = [e.targets[0].replace(/\.t$/, "")]; } }
  const t = performance.now();
  const r = await elk.layout(g);
  console.log(JSON.stringify(v), (performance.now() - t).toFixed(0), "ms", r.width.toFixed(0), r.height.toFixed(0));
}
