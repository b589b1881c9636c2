// The page's words in English and Arabic, and formatting of numbers and times in the team's time zone.
// Arabic pages are right-to-left. The Arabic table has the English one's type: a missing word does not compile.

export type Lang = 'en' | 'ar'
export const LANGS: readonly Lang[] = ['en', 'ar']

const en = {
  title: 'Lead Hub dashboard',
  pipeline: 'Pipeline',
  journey: 'Lead journey',
  deadLetters: 'Dead letters',
  business: 'Business',
  customer: 'Customer 360',
  signIn: 'Sign in',
  signOut: 'Sign out',
  password: 'Password',
  user: 'User',
  badLogin: 'Wrong user or password.',
  switchLang: 'العربية',
  eventsPerMinute: 'Events per minute by service and outcome',
  totals: 'Totals in the window',
  service: 'Service',
  outcome: 'Outcome',
  count: 'Count',
  latency: 'Webhook → lead in Odoo',
  p50: 'p50',
  p95: 'p95',
  samples: 'samples',
  failures: 'Failures by reason',
  reason: 'Reason',
  lastSeen: 'Last seen',
  health: 'Health of services and dependencies',
  ready: 'ready',
  notReady: 'not ready',
  unreachable: 'unreachable',
  linesRead: 'log lines read',
  noData: 'Nothing yet.',
  search: 'Search',
  journeyHint: 'Leadgen id, WhatsApp message id, Odoo lead id or correlation id',
  noJourney: 'No journey found for this id in the logs kept.',
  correlation: 'Correlation id',
  time: 'Time',
  step: 'Step',
  type: 'Event type',
  took: 'Took',
  sincePrevious: 'After previous',
  total: 'Total',
  parked: 'Parked messages',
  replay: 'Replay',
  purge: 'Purge',
  confirmReplay: 'Replay every parked message of this service to its queue?',
  confirmPurge: 'Delete every parked message of this service? This cannot be undone.',
  confirm: 'Confirm',
  cancel: 'Cancel',
  replayed: 'messages replayed',
  purged: 'messages purged',
  attempts: 'Attempts',
  parkedAt: 'Parked at',
  event: 'Event',
  deadLettersOff: 'Dead letters are not shown: AMQP_URL is not set.',
  brokerDown: 'The message broker cannot be reached.',
  odooOff: 'Business figures are not shown: ODOO_URL is not set.',
  odooDown: 'Odoo cannot be reached.',
  leadsByDay: 'Leads by day',
  bySource: 'By source',
  byCampaign: 'By campaign',
  byChannel: 'By channel',
  leads: 'Leads',
  expectedRevenue: 'Expected revenue',
  winRate: 'Win rate',
  firstResponse: 'Time to first response (median)',
  spend: 'Spend',
  costPerLead: 'Cost per lead',
  roas: 'Return on ad spend',
  wonRevenue: 'Won revenue',
  customerHint: 'Phone, email or partner id',
  noCustomer: 'No customer found.',
  messages: 'Messages and form answers',
  activities: 'Activities',
  orders: 'Orders',
  stage: 'Stage',
  days: 'Last days',
  step_received: 'received and published',
  step_graph_read: 'lead read from Meta',
  step_odoo_created: 'lead created in Odoo',
  step_odoo_updated: 'lead updated in Odoo',
  step_odoo_merged: 'merged into an Odoo lead',
  step_rejected: 'rejected',
  step_scored: 'scored',
  step_rules_fired: 'rules fired',
  step_notification_requested: 'notification requested',
  step_slack_delivered: 'delivered to Slack',
  step_notification_failed: 'notification failed',
  step_clicked: 'clicked in Slack',
  step_parked: 'parked',
  step_retried: 'retry',
  step_handled: 'handled',
  step_other: 'logged',
  skipToContent: 'Skip to content',
  unknown: 'unknown',
}

export type Words = typeof en

const ar: Words = {
  title: 'لوحة مركز العملاء المحتملين',
  pipeline: 'خط المعالجة',
  journey: 'رحلة العميل المحتمل',
  deadLetters: 'الرسائل المتوقفة',
  business: 'الأعمال',
  customer: 'نظرة شاملة على العميل',
  signIn: 'تسجيل الدخول',
  signOut: 'تسجيل الخروج',
  password: 'كلمة المرور',
  user: 'المستخدم',
  badLogin: 'اسم المستخدم أو كلمة المرور غير صحيحة.',
  switchLang: 'English',
  eventsPerMinute: 'الأحداث في الدقيقة حسب الخدمة والنتيجة',
  totals: 'المجاميع في الفترة',
  service: 'الخدمة',
  outcome: 'النتيجة',
  count: 'العدد',
  latency: 'من الإشعار إلى العميل في أودو',
  p50: 'الوسيط',
  p95: 'المئين ٩٥',
  samples: 'عينات',
  failures: 'الإخفاقات حسب السبب',
  reason: 'السبب',
  lastSeen: 'آخر ظهور',
  health: 'حالة الخدمات والاعتماديات',
  ready: 'جاهز',
  notReady: 'غير جاهز',
  unreachable: 'لا يمكن الوصول',
  linesRead: 'سطر سجل مقروء',
  noData: 'لا شيء بعد.',
  search: 'بحث',
  journeyHint: 'معرّف نموذج ميتا أو رسالة واتساب أو عميل أودو أو معرّف الترابط',
  noJourney: 'لم يُعثر على رحلة لهذا المعرّف في السجلات المحفوظة.',
  correlation: 'معرّف الترابط',
  time: 'الوقت',
  step: 'الخطوة',
  type: 'نوع الحدث',
  took: 'المدة',
  sincePrevious: 'بعد السابقة',
  total: 'الإجمالي',
  parked: 'الرسائل المتوقفة',
  replay: 'إعادة الإرسال',
  purge: 'حذف',
  confirmReplay: 'إعادة كل الرسائل المتوقفة لهذه الخدمة إلى طابورها؟',
  confirmPurge: 'حذف كل الرسائل المتوقفة لهذه الخدمة؟ لا يمكن التراجع عن ذلك.',
  confirm: 'تأكيد',
  cancel: 'إلغاء',
  replayed: 'رسائل أعيد إرسالها',
  purged: 'رسائل حُذفت',
  attempts: 'المحاولات',
  parkedAt: 'وقت التوقف',
  event: 'الحدث',
  deadLettersOff: 'لا تظهر الرسائل المتوقفة: المتغير AMQP_URL غير مضبوط.',
  brokerDown: 'لا يمكن الوصول إلى وسيط الرسائل.',
  odooOff: 'لا تظهر أرقام الأعمال: المتغير ODOO_URL غير مضبوط.',
  odooDown: 'لا يمكن الوصول إلى أودو.',
  leadsByDay: 'العملاء المحتملون حسب اليوم',
  bySource: 'حسب المصدر',
  byCampaign: 'حسب الحملة',
  byChannel: 'حسب القناة',
  leads: 'العملاء المحتملون',
  expectedRevenue: 'الإيراد المتوقع',
  winRate: 'نسبة الفوز',
  firstResponse: 'زمن أول رد (الوسيط)',
  spend: 'الإنفاق',
  costPerLead: 'تكلفة العميل المحتمل',
  roas: 'العائد على الإنفاق الإعلاني',
  wonRevenue: 'الإيراد المكسوب',
  customerHint: 'الهاتف أو البريد أو رقم جهة الاتصال',
  noCustomer: 'لم يُعثر على العميل.',
  messages: 'الرسائل وإجابات النماذج',
  activities: 'الأنشطة',
  orders: 'الطلبات',
  stage: 'المرحلة',
  days: 'آخر أيام',
  step_received: 'استُلم ونُشر',
  step_graph_read: 'قُرئ من ميتا',
  step_odoo_created: 'أُنشئ في أودو',
  step_odoo_updated: 'حُدّث في أودو',
  step_odoo_merged: 'دُمج في عميل أودو',
  step_rejected: 'رُفض',
  step_scored: 'قُيّم',
  step_rules_fired: 'طُبّقت القواعد',
  step_notification_requested: 'طُلب إشعار',
  step_slack_delivered: 'أُرسل إلى سلاك',
  step_notification_failed: 'فشل الإشعار',
  step_clicked: 'نُقر في سلاك',
  step_parked: 'توقف',
  step_retried: 'إعادة محاولة',
  step_handled: 'عولج',
  step_other: 'سُجّل',
  skipToContent: 'انتقل إلى المحتوى',
  unknown: 'غير معروف',
}

export const WORDS: Record<Lang, Words> = { en, ar }

export function langOf(value: unknown): Lang {
  return value === 'ar' ? 'ar' : 'en'
}

export interface Formatter {
  readonly lang: Lang
  readonly words: Words
  readonly dir: 'rtl' | 'ltr'
  time(iso: string | number): string
  number(value: number): string
  ms(value: number | null): string
}

/** Intl formatters take a while to build: one per language and time zone, made on first use. */
const formatters = new Map<string, Formatter>()

export function formatter(lang: Lang, timeZone: string): Formatter {
  const key = `${lang} ${timeZone}`
  let made = formatters.get(key)
  if (made === undefined) {
    made = makeFormatter(lang, timeZone)
    formatters.set(key, made)
  }
  return made
}

function makeFormatter(lang: Lang, timeZone: string): Formatter {
  // Gregorian calendar in Arabic too: the team's dates match Odoo's and the ad platforms'.
  const locale = lang === 'ar' ? 'ar-u-ca-gregory' : 'en-GB'
  const times = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'short', timeStyle: 'medium' })
  const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 })
  return {
    lang,
    words: WORDS[lang],
    dir: lang === 'ar' ? 'rtl' : 'ltr',
    time: (value) => times.format(typeof value === 'number' ? value : Date.parse(value)),
    number: (value) => numbers.format(value),
    ms: (value) => (value === null ? '—' : value >= 1000 ? `${numbers.format(value / 1000)} s` : `${numbers.format(value)} ms`),
  }
}
