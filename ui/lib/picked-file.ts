/**
 * A file picked on one page and shown by another: the lesson page's "Open
 * a trace file…" hands the File to the trace page, which the app opens
 * without a reload (the history API), so the File survives the move. A
 * reload loses it: browsers do not let a page reopen a file by itself.
 */
let handed: File | null = null;

export function handOver(file: File): void {
  handed = file;
}

/** The file handed over, once. */
export function takeHandedOver(): File | null {
  const file = handed;
  handed = null;
  return file;
}
