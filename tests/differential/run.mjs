// Evaluates every pair of the simulator's differential corpus with
// @cloud-copilot/iam-simulate and compares the decisions.
//
//   node tests/differential/run.mjs <corpus.json> [disagreements.json]
//
// A disagreement must be listed in the disagreements file, with the reason and which side
// follows AWS's documentation; an unlisted one, or a listed one that no longer happens,
// fails the run.
import { readFileSync } from 'node:fs'
import { runSimulation } from '@cloud-copilot/iam-simulate'

const [corpusPath, listedPath] = process.argv.slice(2)
if (!corpusPath) {
  console.error('usage: run.mjs <corpus.json> [disagreements.json]')
  process.exit(2)
}
const corpus = JSON.parse(readFileSync(corpusPath, 'utf8'))
const listed = new Map()
if (listedPath) {
  for (const d of JSON.parse(readFileSync(listedPath, 'utf8')).disagreements) {
    for (const id of d.ids) listed.set(id, d)
  }
}

let agree = 0
const unlisted = []
const known = []
const errors = []
for (const c of corpus.cases) {
  const r = await runSimulation(c.simulation, {})
  if (r.resultType === 'error') {
    errors.push({ id: c.id, errors: r.errors })
    continue
  }
  const theirs = r.overallResult
  if (theirs === c.ours) {
    agree++
    if (listed.has(c.id)) unlisted.push({ id: c.id, ours: c.ours, theirs, stale: true })
  } else if (listed.has(c.id)) {
    known.push({ id: c.id, ours: c.ours, theirs })
  } else {
    unlisted.push({ id: c.id, ours: c.ours, theirs })
  }
}

console.log(`pairs: ${corpus.cases.length} (${corpus.fromLayout} from the layout)`)
console.log(`agreements: ${agree}`)
console.log(`listed disagreements: ${known.length}`)
console.log(`unlisted disagreements: ${unlisted.filter((u) => !u.stale).length}`)
console.log(`listed but agreeing now: ${unlisted.filter((u) => u.stale).length}`)
console.log(`rejected by iam-simulate: ${errors.length}`)
for (const u of unlisted) {
  console.log(`${u.stale ? 'STALE' : 'DISAGREE'} ${u.id}: ours ${u.ours}, iam-simulate ${u.theirs}`)
}
for (const e of errors) {
  console.log(`ERROR ${e.id}: ${JSON.stringify(e.errors)}`)
}
process.exit(unlisted.length > 0 || errors.length > 0 ? 1 : 0)
