package dev.ioloop.netty;

import dev.ioloop.IOLoopBackend;
import org.junit.jupiter.api.Nested;

/**
 * Every contract suite of ioloop-core, a second time, with every loop on {@link NettyBackend#factory()}
 * (its own Netty event loop, NIO): the loop, its timeouts, periodic callbacks, watchdog, executors,
 * runSync and lifecycle, loop threads, streams (TLS too), TCP server and client. The suites live in
 * ioloop-testsuite's main jar; its {@code SelectorBackendContractTests} runs them on the default
 * backend, and this file lists the same ones.
 */
class NettyBackendContractTests {

    @Nested
    class Watchdog extends dev.ioloop.BlockedLoopWatchdogTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }

        /** A Netty task: it runs on the loop's thread while the loop waits, outside its iterations. */
        @Override
        protected void runOutsideIterations(dev.ioloop.IOLoop loop, Runnable task) {
            NettyBackend.eventLoop(loop).execute(task);
        }
    }

    @Nested
    class Callbacks extends dev.ioloop.IOLoopCallbackTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class CurrentAndInstance extends dev.ioloop.IOLoopCurrentTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class Executors extends dev.ioloop.IOLoopExecutorTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class Groups extends dev.ioloop.IOLoopGroupTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class Handlers extends dev.ioloop.IOLoopHandlerTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class Lifecycle extends dev.ioloop.IOLoopLifecycleTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class RunSync extends dev.ioloop.IOLoopRunSyncTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class Stress extends dev.ioloop.IOLoopStressTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class LoopThreads extends dev.ioloop.IOLoopThreadTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class Timeouts extends dev.ioloop.IOLoopTimeoutTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class IterationTime extends dev.ioloop.IOLoopIterationTimeTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class Wakeups extends dev.ioloop.IOLoopWakeupTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class ScheduledExecutorViews extends dev.ioloop.LoopScheduledExecutorServiceTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class ScheduledExecutorContract extends dev.ioloop.LoopScheduledExecutorContractTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class Stats extends dev.ioloop.LoopStatsTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class PeriodicCallbacks extends dev.ioloop.PeriodicCallbackTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class Streams extends dev.ioloop.iostream.IOStreamTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class StreamBackPressure extends dev.ioloop.iostream.IOStreamBackPressureTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class StreamSharedReadBuffers extends dev.ioloop.iostream.IOStreamSharedReadBufferTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class StreamLentReads extends dev.ioloop.iostream.IOStreamLentReadTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class StreamChunkReads extends dev.ioloop.iostream.IOStreamChunkReadTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class StreamWritesWithoutFuture extends dev.ioloop.iostream.IOStreamWriteWithoutFutureTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class StreamBufferKinds extends dev.ioloop.iostream.IOStreamBufferKindsTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class StreamStageFailures extends dev.ioloop.iostream.IOStreamStageFailureTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class StreamFutureStress extends dev.ioloop.iostream.StreamFutureStressTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class StreamLargeTransfers extends dev.ioloop.iostream.IOStreamLargeTransferTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class StreamSplitReads extends dev.ioloop.iostream.IOStreamSplitReadTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class TcpClients extends dev.ioloop.tcp.TCPClientTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class TcpServers extends dev.ioloop.tcp.TCPServerTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class TcpServerStress extends dev.ioloop.tcp.TCPServerStressTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class ConnectionReadyServerExample extends dev.ioloop.examples.ConnectionReadyServerTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class TlsStreams extends dev.ioloop.iostream.TlsStreamContract {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class TlsBadInput extends dev.ioloop.iostream.TlsBadInputContract {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class TlsTransfers extends dev.ioloop.iostream.TlsTransferContract {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }

    @Nested
    class TlsServersAndClients extends dev.ioloop.tcp.TlsServerClientContract {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return NettyBackend.factory();
        }
    }
}
