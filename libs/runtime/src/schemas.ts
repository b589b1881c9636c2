// Schemas of the settings every service shares, so each variable is checked the same way everywhere and a
// bad value fails at start-up with one line naming it. Messages never quote the value (it may be a secret,
// such as a password inside AMQP_URL).
import Type from 'typebox'

/** pino's levels; anything else would stop the logger with an error from pino's internals. */
export const LogLevel = Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)), {
  default: 'info',
})

/** A TCP port to listen on; 0 lets the system choose a free one. */
export const Port = (defaultPort: number) => Type.Integer({ minimum: 0, maximum: 65535, default: defaultPort })

/**
 * A URL whose scheme is one of `protocols` (e.g. `['amqp', 'amqps']`). Checked by parsing it as a URL, so
 * `not-a-url` fails here with the variable's name instead of later inside a client.
 */
export function UrlSetting(protocols: readonly string[], options: { default?: string } = {}) {
  const schemes = new Set(protocols.map((protocol) => `${protocol}:`))
  const expected = protocols.map((protocol) => `${protocol}://`).join(' or ')
  return Type.Refine(
    Type.String({ minLength: 1, ...options }),
    (value) => URL.canParse(value) && schemes.has(new URL(value).protocol),
    () => `must be a URL starting with ${expected}`,
  )
}

/** RabbitMQ, `amqp://user:password@host:5672/vhost`. */
export const AmqpUrl = UrlSetting(['amqp', 'amqps'])

/** An HTTP(S) base URL such as ODOO_URL or GRAPH_API_URL. */
export const HttpUrl = UrlSetting(['http', 'https'])
