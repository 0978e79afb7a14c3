package dev.ioloop.tcp;

import org.junit.jupiter.api.extension.ExtendWith;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopGroup;
import dev.ioloop.testing.LoopExtension;

/** {@link TlsServerClientContract} on the selector loop (the default backend). */
@ExtendWith(LoopExtension.class)
class SelectorTlsServerClientTests extends TlsServerClientContract {

    @Override
    protected IOLoop newLoop(String name) {
        return IOLoop.builder().name(name).makeCurrent(false).build();
    }

    @Override
    protected IOLoopGroup newGroup(String name, int loops) {
        return new IOLoopGroup(name, loops);
    }
}
