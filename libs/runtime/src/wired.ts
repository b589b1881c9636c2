// The shape every service's wiring function returns (`wireIngress`, `wireLeadProcessor`, …). Its
// container's main.ts and the all-in-one `pnpm start` both run what that one function built, so the two
// cannot drift. Types only.

export interface WiredService {
  /** Starts consuming and listening; resolves with the base URL its /healthz, /readyz and /metrics answer on. */
  start(): Promise<string>
  /** Stops taking work, finishes what is in flight and releases its clients. The bus is its creator's to close. */
  stop(): Promise<void>
}
