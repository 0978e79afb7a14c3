package dev.ioloop.iostream;

import org.junit.jupiter.api.extension.ExtendWith;

import dev.ioloop.IOLoop;
import dev.ioloop.testing.LoopExtension;

/** {@link TlsTransferContract} on the selector loop (the default backend). */
@ExtendWith(LoopExtension.class)
class SelectorTlsTransferTests extends TlsTransferContract {

    @Override
    protected IOLoop newLoop(String name) {
        return IOLoop.builder().name(name).makeCurrent(false).build();
    }
}
