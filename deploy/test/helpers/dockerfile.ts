// A Dockerfile as a list of stages, each with its instructions (line continuations joined, comments and
// parser directives dropped). Structural: enough to see what each stage copies, runs and runs as.
export interface Instruction {
  keyword: string
  args: string
}

export interface Stage {
  /** `AS name`, or the stage's index when unnamed. */
  name: string
  /** The image or stage it starts FROM. */
  from: string
  instructions: Instruction[]
}

function logicalLines(text: string): string[] {
  const lines: string[] = []
  let pending = ''
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (pending === '' && (line === '' || line.startsWith('#'))) continue
    if (line.startsWith('#')) continue
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `
      continue
    }
    lines.push(pending + line)
    pending = ''
  }
  if (pending !== '') lines.push(pending)
  return lines
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = []
  for (const line of logicalLines(text)) {
    const [keyword = '', ...rest] = line.split(/\s+/)
    const args = rest.join(' ')
    if (keyword.toUpperCase() === 'FROM') {
      const match = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args)
      if (!match) throw new Error(`cannot read FROM ${args}`)
      const name = match[2] ?? String(stages.length)
      if (stages.some((stage) => stage.name === name)) throw new Error(`stage ${name} is defined twice`)
      stages.push({ name, from: match[1] as string, instructions: [] })
      continue
    }
    const current = stages[stages.length - 1]
    if (!current) {
      if (keyword.toUpperCase() === 'ARG') continue
      throw new Error(`${keyword} before FROM`)
    }
    current.instructions.push({ keyword: keyword.toUpperCase(), args })
  }
  return stages
}
