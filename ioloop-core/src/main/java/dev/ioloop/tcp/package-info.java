/**
 * TCP servers and clients on the loop: Tornado's {@code tornado.tcpserver} and
 * {@code tornado.tcpclient} in Java.
 *
 * <p>{@link dev.ioloop.tcp.TCPServer} accepts connections and hands each to a
 * {@link dev.ioloop.tcp.TCPServer.StreamHandler} as an {@link dev.ioloop.iostream.IOStream};
 * {@link dev.ioloop.tcp.TCPClient} connects and returns one; {@link dev.ioloop.tcp.TCPServerOptions}
 * holds a server's backlog, reuse, stream limits and TLS. Their collaborators
 * ({@code Acceptor}, {@code Connector}) are package-private.
 *
 * <p>Threading: a {@code TCPServer}'s listen, addSocket, boundAddresses, stop and close are safe
 * from any thread, and {@code TCPClient.connect} too; everything else (handlers, streams, future
 * completions) runs on the thread of the loop concerned.
 */
@NullMarked
package dev.ioloop.tcp;

import org.jspecify.annotations.NullMarked;
