package dev.ioloop.spring.boot.netty;

import java.util.Collection;

import io.netty.channel.EventLoopGroup;

/**
 * Names the Netty event loop groups whose event loops {@link EventLoopMonitor} watches: Reactor Netty's
 * ({@link ReactorNettyEventLoops}), the application's {@code EventLoopGroup} beans, or any other (a bean of this type
 * adds its groups).
 */
@FunctionalInterface
public interface EventLoopSource {

    /**
     * Returns the groups to watch now. Called when the monitor starts, on the lifecycle thread; a group named by two
     * sources is watched once.
     * @return the groups, possibly empty
     */
    Collection<? extends EventLoopGroup> eventLoopGroups();
}
