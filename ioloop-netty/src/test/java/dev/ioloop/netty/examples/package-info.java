/**
 * Runnable examples of ioloop-netty, each run as a test against real sockets.
 *
 * <p>Threading: every handler runs on the IOLoop's thread, which is also its Netty event loop's.
 */
@NullMarked
package dev.ioloop.netty.examples;

import org.jspecify.annotations.NullMarked;
