/**
 * Ends every test run with one plain line, `Summary: N passed, N failed, N skipped`,
 * which any CI log reader can count without knowing vitest's own layout.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const count = { passed: 0, failed: 0, skipped: 0 };
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') count.passed += 1;
        else if (state === 'failed') count.failed += 1;
        else count.skipped += 1;
      }
    }
    console.log(`Summary: ${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped`);
  }
}
