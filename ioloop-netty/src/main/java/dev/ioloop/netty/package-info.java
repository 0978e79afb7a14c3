/**
 * An {@link dev.ioloop.IOLoop} on a Netty 4.2 event loop: Tornado's {@code tornado.platform.asyncio}
 * for Netty. {@link dev.ioloop.netty.NettyBackend#factory()} gives each loop a Netty event loop of its
 * own that runs on the thread calling {@code start()}; {@link dev.ioloop.netty.NettyBackend#attach}
 * runs a loop on an event loop someone else owns; {@link dev.ioloop.netty.NettyFutures} converts
 * futures both ways.
 *
 * <p>Threading: the public entry points are safe from any thread. Package-private collaborators say
 * which of their members belong to the loop thread (the thread running the IOLoop's iterations, which
 * is also the Netty event loop's thread while they run).
 */
@NullMarked
package dev.ioloop.netty;

import org.jspecify.annotations.NullMarked;
