// Signature checking as a plugin: a route names its scheme in its config (`config: { signature: 'odoo' }`)
// and onRoute gives it a preParsing hook. The hook refuses what the headers alone refuse before a byte of
// the body is read, then feeds the raw bytes to the scheme's MAC as they arrive; the body parser sees the
// end of the body only once the signature over those exact bytes holds.
// Must never let a parser see an unverified body, nor log or echo a signature or a secret.
import type { Hmac } from 'node:crypto'
import { Transform, type TransformCallback } from 'node:stream'
import type { FastifyRequest, preParsingHookHandler } from 'fastify'
import fp from 'fastify-plugin'

/** The body half of a check: the MAC to feed the raw bytes, and the verdict once they are all in (throws a 401). */
export interface BodyCheck {
  readonly mac: Hmac
  verify(mac: Hmac): void
}

/**
 * A scheme looks at the headers: it throws (401, or 404 for an unknown form) when they alone refuse the
 * request, returns the body check when the signature covers the body, or undefined when the headers alone
 * authenticate (an API key).
 */
export type SignatureScheme = (request: FastifyRequest) => BodyCheck | undefined

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Name of the signature scheme that authenticates this route (plugins/signatures.ts). */
    signature?: string
  }
}

export interface SignaturesOptions {
  schemes: Readonly<Record<string, SignatureScheme>>
}

/** Passes every chunk on unchanged; ends only if the signature over all of them holds, else errors with the 401. */
class VerifiedBody extends Transform {
  constructor(private readonly check: BodyCheck) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.check.mac.update(chunk)
    callback(null, chunk)
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.check.verify(this.check.mac)
      callback()
    } catch (error) {
      callback(error as Error)
    }
  }
}

function verifying(scheme: SignatureScheme): preParsingHookHandler {
  return (request, _reply, payload, done) => {
    let check: BodyCheck | undefined
    try {
      check = scheme(request)
    } catch (error) {
      return done(error as Error)
    }
    if (!check) return done(null, payload)
    const body = new VerifiedBody(check)
    // pipe() does not forward errors (a client hanging up mid-body); stream.pipeline would, at ~20 µs a request.
    payload.on('error', (error) => body.destroy(error))
    done(null, payload.pipe(body))
  }
}

export const signatures = fp<SignaturesOptions>(
  async (app, { schemes }) => {
    app.addHook('onRoute', (route) => {
      const name = route.config?.signature
      if (name === undefined) return
      const scheme = Object.hasOwn(schemes, name) ? schemes[name] : undefined
      if (!scheme) throw new Error(`route ${String(route.method)} ${route.url} names an unknown signature scheme: ${name}`)
      const existing = route.preParsing
      route.preParsing = [...(Array.isArray(existing) ? existing : existing ? [existing] : []), verifying(scheme)]
    })
  },
  { name: 'signatures', fastify: '5.x' },
)
