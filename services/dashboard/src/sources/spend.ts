// Ad spend per campaign, for cost per lead and return on ad spend: from a CSV the marketing team keeps
// (`campaign,spend`, one row per campaign, read on every request so an edit shows at once) or from the
// Meta ads insights API (`GET /act_{id}/insights?level=campaign`, spend over the window). Campaign names
// are matched to Odoo's utm.campaign names, which the lead-processor takes from the lead's campaign_name.
import { createHmac } from 'node:crypto'
import { readFile } from 'node:fs/promises'

export interface SpendSource {
  /** Spend per campaign name over the last `days` (the CSV has no dates: its totals are used as they are). */
  byCampaign(days: number): Promise<Map<string, number>>
}

export class SpendFileError extends Error {
  readonly code = 'SPEND_CSV_INVALID'
}

/** One CSV row's cells; quoted cells may hold commas and doubled quotes (RFC 4180). */
function cells(line: string): string[] {
  const out: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const char = line[i] as string
    if (quoted && char === '"' && line[i + 1] === '"') {
      cell += '"'
      i++
    } else if (char === '"') {
      quoted = !quoted
    } else if (char === ',' && !quoted) {
      out.push(cell)
      cell = ''
    } else {
      cell += char
    }
  }
  out.push(cell)
  return out.map((value) => value.trim())
}

export function parseSpendCsv(text: string): Map<string, number> {
  const spend = new Map<string, number>()
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((line) => line.trim() !== '')
  const header = cells(lines[0] ?? '').map((name) => name.toLowerCase())
  const campaignAt = header.indexOf('campaign')
  const spendAt = header.indexOf('spend')
  if (campaignAt < 0 || spendAt < 0) throw new SpendFileError('spend CSV needs a header row with columns campaign and spend')
  lines.slice(1).forEach((line, index) => {
    const row = cells(line)
    const campaign = row[campaignAt] ?? ''
    const amount = Number((row[spendAt] ?? '').replace(/[\s,]/g, ''))
    if (campaign === '' || !Number.isFinite(amount) || amount < 0) throw new SpendFileError(`spend CSV row ${index + 2}: needs a campaign name and a non-negative spend`)
    spend.set(campaign, (spend.get(campaign) ?? 0) + amount)
  })
  return spend
}

export function csvSpend(path: string): SpendSource {
  return { byCampaign: async () => parseSpendCsv(await readFile(path, 'utf8')) }
}

export interface InsightsOptions {
  /** Graph API base including the version, e.g. https://graph.facebook.com/v25.0 */
  readonly graphUrl: string
  readonly adAccountId: string
  readonly token: string
  /** When set, appsecret_proof is sent (apps with "Require App Secret"). */
  readonly appSecret?: string | undefined
}

/** Meta ads insights: campaign-level spend, following `paging.next` for accounts with many campaigns. */
export function insightsSpend(options: InsightsOptions): SpendSource {
  return {
    async byCampaign(days) {
      const params = new URLSearchParams({ level: 'campaign', fields: 'campaign_name,spend', date_preset: days <= 7 ? 'last_7d' : days <= 30 ? 'last_30d' : 'last_90d', limit: '500', access_token: options.token })
      if (options.appSecret !== undefined) params.set('appsecret_proof', createHmac('sha256', options.appSecret).update(options.token).digest('hex'))
      const spend = new Map<string, number>()
      let url: string | undefined = `${options.graphUrl.replace(/\/$/, '')}/act_${options.adAccountId}/insights?${params}`
      for (let page = 0; url !== undefined && page < 20; page++) {
        const answer: Response = await fetch(url, { signal: AbortSignal.timeout(10_000) })
        if (!answer.ok) throw new Error(`ads insights answered HTTP ${answer.status}`)
        const body = (await answer.json()) as { data?: { campaign_name?: string; spend?: string }[]; paging?: { next?: string } }
        for (const row of body.data ?? []) {
          const amount = Number(row.spend)
          if (row.campaign_name && Number.isFinite(amount)) spend.set(row.campaign_name, (spend.get(row.campaign_name) ?? 0) + amount)
        }
        url = body.paging?.next
      }
      return spend
    },
  }
}
