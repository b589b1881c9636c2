// A gate to hold a handler until the test lets it go. Waiting for a condition is @gassistant/test-support's waitFor.

/** A promise with its resolve exposed, to hold a handler until the test lets it go. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => undefined
  const promise = new Promise<void>((resolve) => {
    open = resolve
  })
  return { promise, open }
}
