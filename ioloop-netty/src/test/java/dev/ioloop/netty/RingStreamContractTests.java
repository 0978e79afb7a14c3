package dev.ioloop.netty;

import dev.ioloop.IOLoopBackend;
import dev.ioloop.iostream.PairKind;
import org.junit.jupiter.api.Nested;

/**
 * ioloop-core's stream contract suites a third time, on streams whose sockets read and send through the ring of
 * Netty's io_uring event loop ({@link RingSockets}): every read kind, lent and chunk reads, writes with and
 * without futures, every buffer kind, limits, back-pressure, close and the stage-failure funnel. TLS is not
 * offered on these streams: its tests skip, saying so.
 */
class RingStreamContractTests {

    @Nested
    class Streams extends dev.ioloop.iostream.IOStreamTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return RingPairs.backend();
        }

        @Override
        protected PairKind pairKind() {
            return RingPairs.INSTANCE;
        }
    }

    @Nested
    class StreamLentReads extends dev.ioloop.iostream.IOStreamLentReadTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return RingPairs.backend();
        }

        @Override
        protected PairKind pairKind() {
            return RingPairs.INSTANCE;
        }
    }

    @Nested
    class StreamChunkReads extends dev.ioloop.iostream.IOStreamChunkReadTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return RingPairs.backend();
        }

        @Override
        protected PairKind pairKind() {
            return RingPairs.INSTANCE;
        }
    }

    @Nested
    class StreamWritesWithoutFuture extends dev.ioloop.iostream.IOStreamWriteWithoutFutureTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return RingPairs.backend();
        }

        @Override
        protected PairKind pairKind() {
            return RingPairs.INSTANCE;
        }
    }

    @Nested
    class StreamBufferKinds extends dev.ioloop.iostream.IOStreamBufferKindsTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return RingPairs.backend();
        }

        @Override
        protected PairKind pairKind() {
            return RingPairs.INSTANCE;
        }
    }

    @Nested
    class StreamStageFailures extends dev.ioloop.iostream.IOStreamStageFailureTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return RingPairs.backend();
        }

        @Override
        protected PairKind pairKind() {
            return RingPairs.INSTANCE;
        }
    }
}
