/**
 * Test support shipped in ioloop-core's test-jar: {@link dev.ioloop.testing.LoopExtension} (a
 * running loop per test, and a failure on unexpected WARN/ERROR logs),
 * {@link dev.ioloop.testing.LogCapture} (Tornado's ExpectLog) and {@link dev.ioloop.testing.FakeClock}.
 *
 * <p>Threading: each class states its own rule; all are safe from any thread.
 */
@NullMarked
package dev.ioloop.testing;

import org.jspecify.annotations.NullMarked;
