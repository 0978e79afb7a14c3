/**
 * The Redis serialization protocol, version 2: frames ({@link dev.ioloop.sample.resp.RespFrame}), a request and
 * reply decoder for which "need more bytes" is a value ({@link dev.ioloop.sample.resp.DecodeResult.Incomplete}),
 * an encoder, and the protocol errors Redis answers before closing a connection.
 *
 * <p>Threading: every type here is either immutable (frames, results) or confined to the thread that uses it
 * (a {@link dev.ioloop.sample.resp.ReplyBuffer}); nothing blocks and nothing touches a socket.
 */
@NullMarked
package dev.ioloop.sample.resp;

import org.jspecify.annotations.NullMarked;
