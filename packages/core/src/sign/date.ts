/** RFC 1123 dates as the reference writes them: `Thu, 01 Jan 2026 12:34:56 GMT` (§2.5). */

/**
 * Formats a time as the Date / x-kss-date header value. `toUTCString` already produces this
 * exact shape (English names, two-digit day) in every modern engine.
 */
export const formatHttpDate = (time: Date | number): string => new Date(time).toUTCString();
