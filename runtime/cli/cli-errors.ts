/** The user typed something we cannot use: exit code 2. */
export class UsageError extends Error {}

/** The command ran and failed (port in use, refused, ...): exit code 1. */
export class CliFailure extends Error {}
