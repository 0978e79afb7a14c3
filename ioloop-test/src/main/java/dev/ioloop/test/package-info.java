/**
 * Tornado's {@code tornado.testing} for JUnit 5: {@link dev.ioloop.test.IOLoopTest} (a running loop per
 * test, failing the test on a callback's exception or unexpected WARN/ERROR output),
 * {@link dev.ioloop.test.RunningLoop} (run code on the loop and wait, with a timeout that shows where the
 * loop was), {@link dev.ioloop.test.Await}, {@link dev.ioloop.test.ExpectLog} and
 * {@link dev.ioloop.test.LogCapture}, {@link dev.ioloop.test.FakeClock} and
 * {@link dev.ioloop.test.UnusedPort}.
 *
 * <p>Threading: each type states its rule. The helpers are called from the test thread and wait for the
 * loop thread; none may be called on a loop thread to wait for that same loop.
 */
@NullMarked
package dev.ioloop.test;

import org.jspecify.annotations.NullMarked;
