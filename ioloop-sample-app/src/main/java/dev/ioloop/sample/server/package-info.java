/**
 * The Redis-protocol server on the loop: {@link dev.ioloop.sample.server.RedisServer} (a {@code TCPServer} whose
 * connections and data share one loop, as Redis's single thread does), one
 * {@link dev.ioloop.sample.server.RedisConnection} per client (pipelining: every complete command in a read burst is
 * run, answered in order, and flushed in one write), the server's cron (active expiry within a time budget), its
 * settings ({@link dev.ioloop.sample.server.RedisServerProperties}, {@code sample.redis.*}) and meters.
 *
 * <p>Threading: connections, commands and the store run on the data loop's thread only. {@code start}, {@code close}
 * and every counter getter are safe from any thread.
 */
@NullMarked
package dev.ioloop.sample.server;

import org.jspecify.annotations.NullMarked;
