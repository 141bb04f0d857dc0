// The CLI's own error: a wrong command line or an unusable file, printed as one line (exit 2 for
// usage, 1 for the rest). Errors of @memstore/core are printed the same way by main.ts.

export class UsageError extends Error {
  override name = 'UsageError';
}
