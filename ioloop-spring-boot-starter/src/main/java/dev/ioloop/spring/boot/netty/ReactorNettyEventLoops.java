package dev.ioloop.spring.boot.netty;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

import io.netty.channel.EventLoopGroup;
import org.jspecify.annotations.Nullable;
import reactor.netty.resources.LoopResources;

/**
 * The event loops of a WebFlux server on Reactor Netty, found the supported way: the {@link LoopResources} the
 * application's {@code ReactorResourceFactory} hands to the server (Reactor Netty's global {@code HttpResources}
 * unless the factory was given its own; Boot's test support gives each test context its own, {@code webflux-http}).
 * The group is the one a Reactor Netty server runs on by default: {@code onServer} with
 * {@link LoopResources#DEFAULT_NATIVE}, epoll (or another native transport) where its library loads and NIO
 * elsewhere. WebClient's loops are the same ones (Reactor Netty colocates its client on the server's loops), so they
 * are covered too. The supplier answers null when no Reactor Netty server runs: asking {@code onServer} would then
 * create loops nobody uses. A server customised to run on other loops is not seen: declare those as an
 * {@code EventLoopGroup} bean instead.
 */
public final class ReactorNettyEventLoops implements EventLoopSource {

    private final Supplier<@Nullable LoopResources> resources;

    /**
     * Creates the source.
     * @param resources the loop resources of the running Reactor Netty server, asked for when the monitor starts;
     * null for none (no Reactor Netty server runs)
     */
    public ReactorNettyEventLoops(Supplier<@Nullable LoopResources> resources) {
        this.resources = resources;
    }

    @Override
    public Collection<EventLoopGroup> eventLoopGroups() {
        LoopResources loops = this.resources.get();
        if (loops == null) {
            return List.of();
        }
        return List.of(loops.onServer(LoopResources.DEFAULT_NATIVE));
    }
}
