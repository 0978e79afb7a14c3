package dev.ioloop.benchmarks.ping;

import java.io.IOException;
import java.net.InetSocketAddress;

/** A running PING server. Both methods are safe from any thread but the server's own. */
public interface PingServer extends AutoCloseable {

    /** Where it listens (127.0.0.1 and the bound port). */
    InetSocketAddress address() throws IOException;

    /** Stops accepting, closes every connection and its loop, and returns once they are closed. */
    @Override
    void close() throws Exception;
}
