// A structural reading of a Caddyfile (not Caddy's own parser, which is Go): lines of tokens, `{ … }`
// blocks nested under the line that opens them, `#` comments dropped, `quoted` and `backtick` tokens kept
// whole. Enough to see which site proxies what to where, and behind which directives.
export interface Directive {
  tokens: string[]
  children: Directive[]
}

function tokenize(line: string): string[] {
  const tokens: string[] = []
  for (const match of line.matchAll(/`[^`]*`|"(?:[^"\\]|\\.)*"|[^\s]+/g)) tokens.push(match[0])
  return tokens
}

function stripComment(line: string): string {
  let quote: string | undefined
  for (let index = 0; index < line.length; index++) {
    const char = line[index] as string
    if (quote) {
      if (char === quote) quote = undefined
    } else if (char === '"' || char === '`') {
      quote = char
    } else if (char === '#' && (index === 0 || /\s/.test(line[index - 1] as string))) {
      return line.slice(0, index)
    }
  }
  return line
}

export function parseCaddyfile(text: string): Directive[] {
  const root: Directive = { tokens: [], children: [] }
  const stack: Directive[] = [root]
  text.split('\n').forEach((raw, index) => {
    const tokens = tokenize(stripComment(raw).trim())
    if (tokens.length === 0) return
    const parent = stack[stack.length - 1] as Directive
    if (tokens.length === 1 && tokens[0] === '}') {
      if (stack.length === 1) throw new Error(`line ${index + 1}: } closes nothing`)
      stack.pop()
      return
    }
    const opens = tokens[tokens.length - 1] === '{'
    const directive: Directive = { tokens: opens ? tokens.slice(0, -1) : tokens, children: [] }
    parent.children.push(directive)
    if (opens) stack.push(directive)
  })
  if (stack.length !== 1) throw new Error('a { block is never closed')
  return root.children
}

/** Every directive in a block and its nested blocks, depth first. */
export function walk(directives: Directive[]): Directive[] {
  return directives.flatMap((directive) => [directive, ...walk(directive.children)])
}

/** `{$NAME}` and `{$NAME:default}` placeholders: environment variables Caddy reads when it parses. */
export function environmentPlaceholders(text: string): Set<string> {
  return new Set([...text.matchAll(/\{\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1] as string))
}
