// Bounds and defaults of notification preferences that main validates and the window's form
// offers. Plain values, no zod: the window imports this without the schemas (zod's eval
// probe would trip the window's CSP).

/** The lost-connection alert threshold, in minutes. */
export const UNREACHABLE_ALERT_MINUTES = { min: 1, max: 24 * 60, default: 2 } as const;
