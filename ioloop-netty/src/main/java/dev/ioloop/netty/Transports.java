package dev.ioloop.netty;

import java.util.Locale;

import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandler;
import io.netty.channel.nio.NioIoHandler;

/** Short names of Netty transports, for backend names and messages. Stateless; safe from any thread. */
final class Transports {

    private Transports() {
    }

    /** {@code nio}, {@code epoll}, {@code io_uring}, {@code kqueue}, or the handler's simple class name. */
    static String name(Class<? extends IoHandler> handlerType) {
        String simple = handlerType.getSimpleName();
        switch (simple) {
            case "IoUringIoHandler":
                return "io_uring";
            case "NioIoHandler":
            case "EpollIoHandler":
            case "KQueueIoHandler":
                return simple.substring(0, simple.length() - "IoHandler".length()).toLowerCase(Locale.ROOT);
            default:
                return simple;
        }
    }

    /** The transport of someone else's event loop, as far as Netty's public API tells: NIO or not. */
    static String nameOfHost(EventLoop host) {
        if (!(host instanceof IoEventLoop)) {
            return "non-I/O (" + host.getClass().getSimpleName() + ")";
        }
        return ((IoEventLoop) host).isIoType(NioIoHandler.class) ? "nio" : "native (epoll, io_uring or kqueue)";
    }
}
