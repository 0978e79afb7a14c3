/**
 * Runnable examples: Tornado's documentation examples in Java. Each runs as a test against real sockets.
 *
 * <p>Threading: as the loop's rules; handlers run on the loop thread.
 */
@NullMarked
package dev.ioloop.examples;

import org.jspecify.annotations.NullMarked;
