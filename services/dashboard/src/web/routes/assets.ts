// The page's static files, served by the dashboard itself (the hub may run offline): Chart.js's UMD build
// from node_modules, and our stylesheet and chart script. Read once at start-up.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'

// services/dashboard/assets, from src/web/routes (tsx) and dist/web/routes (built) alike.
const ASSETS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'assets')

export async function assetRoutes(app: FastifyInstance): Promise<void> {
  // chart.js's exports map has no entry for its UMD file: find the package, then the file beside its main.
  const chartMain = createRequire(import.meta.url).resolve('chart.js')
  const files: Record<string, { body: Buffer; type: string }> = {
    'chart.umd.min.js': { body: await readFile(join(dirname(chartMain), 'chart.umd.min.js')), type: 'text/javascript; charset=utf-8' },
    'charts.js': { body: await readFile(join(ASSETS_DIR, 'charts.js')), type: 'text/javascript; charset=utf-8' },
    'dashboard.css': { body: await readFile(join(ASSETS_DIR, 'dashboard.css')), type: 'text/css; charset=utf-8' },
  }
  app.get('/assets/:file', { schema: { params: { type: 'object', properties: { file: { type: 'string', maxLength: 40 } }, required: ['file'] } } }, async (request, reply) => {
    const file = files[(request.params as { file: string }).file]
    if (file === undefined) return reply.code(404).send({ statusCode: 404, code: 'NOT_FOUND', message: 'no such asset' })
    return reply.type(file.type).header('cache-control', 'public, max-age=3600').send(file.body)
  })
}
