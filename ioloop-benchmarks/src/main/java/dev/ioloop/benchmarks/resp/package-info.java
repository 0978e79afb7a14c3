/**
 * The macro benchmark's Java baseline: a minimal Redis-protocol server on Netty 4.2, written as a
 * Java engineer would (a {@code ByteToMessageDecoder}, one handler, one flush per read burst).
 *
 * <p>Threading: one Netty event loop thread accepts and serves every connection and owns the
 * key-value map, as Redis's single thread does; nothing here is touched from another thread.
 */
@NullMarked
package dev.ioloop.benchmarks.resp;

import org.jspecify.annotations.NullMarked;
