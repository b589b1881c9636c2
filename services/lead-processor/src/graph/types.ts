// The lead node as the Graph API returns it for GET /{leadgen-id}?fields=… (meta-lead-ads.md §3).
// Declarations only.

export interface GraphFieldData {
  readonly name: string
  readonly values: readonly string[]
}

export interface GraphLead {
  readonly id: string
  readonly created_time?: string
  readonly ad_id?: string
  readonly ad_name?: string
  readonly adset_id?: string
  readonly adset_name?: string
  readonly campaign_id?: string
  readonly campaign_name?: string
  readonly form_id?: string
  readonly is_organic?: boolean
  readonly platform?: string
  readonly field_data?: readonly GraphFieldData[]
  readonly custom_disclaimer_responses?: readonly { readonly checkbox_key: string; readonly is_checked: string }[]
}

export const LEAD_FIELDS = [
  'id', 'created_time', 'ad_id', 'ad_name', 'adset_id', 'adset_name', 'campaign_id', 'campaign_name',
  'form_id', 'is_organic', 'platform', 'field_data', 'custom_disclaimer_responses',
] as const
