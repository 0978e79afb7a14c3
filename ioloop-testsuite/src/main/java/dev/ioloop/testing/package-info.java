/**
 * The base of the per-backend contract suites: {@link dev.ioloop.testing.BackendSuite}. The suites themselves
 * live in the packages they test ({@code dev.ioloop}, {@code dev.ioloop.iostream}, {@code dev.ioloop.tcp}), so
 * that they reach package-private collaborators; the test kit they use is ioloop-test ({@code dev.ioloop.test}).
 *
 * <p>Threading: a suite configures the backend of every loop built while its test runs ({@code IOLoop.configure}
 * is global): test classes run one after another.
 */
@NullMarked
package dev.ioloop.testing;

import org.jspecify.annotations.NullMarked;
