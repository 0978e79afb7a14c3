/**
 * The I/O loop: {@link dev.ioloop.IOLoop} (Tornado's {@code tornado.ioloop.IOLoop}),
 * {@link dev.ioloop.PeriodicCallback}, {@link dev.ioloop.IOLoopGroup} and their collaborators.
 *
 * <p>Threading: the public scheduling and handler methods are safe from any thread; callbacks,
 * timeouts and handlers run on the loop thread. Package-private collaborators state their own
 * rule ("loop thread only" or "safe from any thread") on each class.
 */
@NullMarked
package dev.ioloop;

import org.jspecify.annotations.NullMarked;
