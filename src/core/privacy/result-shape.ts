/**
 * What the guard needs to know about a compiled analysis's result rows: which columns
 * group, which column counts the distinct people behind a row (the threshold is applied
 * to it), and which columns carry released values.
 */
export interface ResultShape {
  /** Group-by columns, in order; a row is identified by their values. */
  dimensions: string[];
  /** The column holding the distinct matched people behind the row (thresholded). */
  people: string;
  /** Other counts of people or events (rounded like `people` when the template rounds). */
  counts: string[];
  /** Sums, means and other values released with the row (suppressed with it). */
  values: string[];
  /**
   * True when each person falls in exactly one row (the groups partition the people), so
   * that a total minus the released rows would reveal the suppressed ones: the guard then
   * applies complementary suppression.
   */
  partition: boolean;
}
