import t from 'tap'
import Type from 'typebox'
import { ConfigError, loadConfig } from '../src/index.js'

const Schema = Type.Object({
  API_SECRET: Type.String({ minLength: 8 }),
  PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 8080 }),
  VERBOSE: Type.Boolean({ default: false }),
  LOG_LEVEL: Type.Union([Type.Literal('info'), Type.Literal('debug')], { default: 'info' }),
  FORMS: Type.Record(Type.String(), Type.Object({ secret: Type.String() }), { default: {} }),
})

t.test('strings become numbers, booleans and JSON; defaults fill the rest', async (t) => {
  const config = loadConfig(Schema, { API_SECRET: 's3cr3t-value', PORT: '9100', VERBOSE: 'true', FORMS: '{"a":{"secret":"x"}}', UNRELATED: 'y' })
  t.same(config, { API_SECRET: 's3cr3t-value', PORT: 9100, VERBOSE: true, LOG_LEVEL: 'info', FORMS: { a: { secret: 'x' } } })
  t.same(loadConfig(Schema, { API_SECRET: 's3cr3t-value', PORT: '' }).PORT, 8080, 'an empty string counts as unset')
})

function problem(env: Record<string, string>): ConfigError {
  try {
    loadConfig(Schema, env)
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('loadConfig accepted an invalid environment')
}

t.test('a missing variable is named in one line', async (t) => {
  const error = problem({})
  t.equal(error.message, 'API_SECRET is missing')
  t.equal(error.variable, 'API_SECRET')
  t.equal(error.code, 'CONFIG_INVALID')
})

t.test('an invalid value is named without echoing it', async (t) => {
  const short = problem({ API_SECRET: 'tiny-1' })
  t.equal(short.variable, 'API_SECRET')
  t.notMatch(short.message, /tiny-1/)
  t.notMatch(short.message, /\n/)

  const port = problem({ API_SECRET: 's3cr3t-value', PORT: 'eighty' })
  t.equal(port.message, 'PORT must be integer')

  const level = problem({ API_SECRET: 's3cr3t-value', LOG_LEVEL: 'loud' })
  t.equal(level.message, 'LOG_LEVEL must be one of info, debug')
})

t.test('a JSON variable that does not parse, or has the wrong shape, is named', async (t) => {
  const bad = problem({ API_SECRET: 's3cr3t-value', FORMS: '{"a": oops-secret}' })
  t.equal(bad.message, 'FORMS is not valid JSON')
  const shape = problem({ API_SECRET: 's3cr3t-value', FORMS: '{"a":{"secret":{"deep":"hidden-value"}}}' })
  t.equal(shape.variable, 'FORMS')
  t.match(shape.message, /^FORMS must be string \(at a\.secret\)$/)
  t.notMatch(shape.message, /hidden-value/)
})

t.test('<NAME>_FILE: a secret mounted as a file stands in for an unset variable', async (t) => {
  const dir = t.testdir({
    'secret.txt': 'file-secret-value\n',
    'forms.json': '{"a":{"secret":"from-file"}}',
    'empty.txt': '\n',
  })
  const config = loadConfig(Schema, { API_SECRET_FILE: `${dir}/secret.txt`, FORMS_FILE: `${dir}/forms.json`, PORT_FILE: '' })
  t.equal(config.API_SECRET, 'file-secret-value', 'the trailing newline is not part of the value')
  t.same(config.FORMS, { a: { secret: 'from-file' } }, 'a file holds JSON as a variable does')
  t.equal(config.PORT, 8080, 'an empty <NAME>_FILE counts as unset')
  t.equal(loadConfig(Schema, { API_SECRET: 'direct-value', API_SECRET_FILE: '' }).API_SECRET, 'direct-value')

  const missing = problem({ API_SECRET_FILE: `${dir}/absent.txt` })
  t.equal(missing.message, 'API_SECRET_FILE names a file that cannot be read (ENOENT)')
  t.equal(missing.variable, 'API_SECRET_FILE')

  t.equal(problem({ API_SECRET_FILE: `${dir}/empty.txt` }).message, 'API_SECRET_FILE names an empty file')

  const both = problem({ API_SECRET: 'direct-value', API_SECRET_FILE: `${dir}/secret.txt` })
  t.equal(both.message, 'API_SECRET and API_SECRET_FILE are both set; set one of them')
})

t.test('<NAME>_FILE: a bad value from a file is named without echoing the file', async (t) => {
  const dir = t.testdir({ 'short.txt': 'tiny-1', 'forms.json': '{"a": oops-secret}' })
  const short = problem({ API_SECRET_FILE: `${dir}/short.txt` })
  t.equal(short.variable, 'API_SECRET')
  t.notMatch(short.message, /tiny-1/)
  const json = problem({ API_SECRET: 's3cr3t-value', FORMS_FILE: `${dir}/forms.json` })
  t.equal(json.message, 'FORMS is not valid JSON')
  t.notMatch(json.message, /oops-secret/)
})
