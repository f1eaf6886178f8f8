/**
 * Prints one final line with the count of passed and failed tests, so the last line of
 * `npm test` (and of CI logs) is always the result. Jest writes its own summary and "Ran all test
 * suites" after the reporters run, so the line is written when the process exits.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTotalTests } = results;
    const skipped = numPendingTests > 0 ? `, ${numPendingTests} skipped` : '';
    const line = `\ntests: ${numPassedTests} passed, ${numFailedTests} failed${skipped}, ${numTotalTests} total\n`;
    process.once('exit', () => process.stdout.write(line));
  }
}
module.exports = SummaryReporter;
