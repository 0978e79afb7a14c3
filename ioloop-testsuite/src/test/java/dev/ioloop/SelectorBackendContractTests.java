package dev.ioloop;

import org.junit.jupiter.api.Nested;

/**
 * Every contract suite of ioloop-core on the default backend, {@link IOLoopBackend#selector()}: the
 * loop, its timeouts, periodic callbacks, watchdog, executors, runSync and lifecycle, streams, TCP
 * server and client, plain and TLS. Another backend runs the same suites with a file like this one whose
 * {@code backendFactory()} returns its factory (the suites are in ioloop-testsuite's main jar; its pom says how).
 */
class SelectorBackendContractTests {

    @Nested
    class Watchdog extends BlockedLoopWatchdogTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class Callbacks extends IOLoopCallbackTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class CurrentAndInstance extends IOLoopCurrentTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class Executors extends IOLoopExecutorTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class Groups extends IOLoopGroupTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class Handlers extends IOLoopHandlerTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class Lifecycle extends IOLoopLifecycleTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class RunSync extends IOLoopRunSyncTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class Stress extends IOLoopStressTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class LoopThreads extends IOLoopThreadTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class Timeouts extends IOLoopTimeoutTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class IterationTime extends IOLoopIterationTimeTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class Wakeups extends IOLoopWakeupTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class ScheduledExecutorViews extends LoopScheduledExecutorServiceTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class ScheduledExecutorContract extends LoopScheduledExecutorContractTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class Stats extends LoopStatsTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class PeriodicCallbacks extends PeriodicCallbackTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class Streams extends dev.ioloop.iostream.IOStreamTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class StreamBackPressure extends dev.ioloop.iostream.IOStreamBackPressureTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class StreamSharedReadBuffers extends dev.ioloop.iostream.IOStreamSharedReadBufferTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class StreamLentReads extends dev.ioloop.iostream.IOStreamLentReadTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class StreamChunkReads extends dev.ioloop.iostream.IOStreamChunkReadTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class StreamWritesWithoutFuture extends dev.ioloop.iostream.IOStreamWriteWithoutFutureTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class StreamBufferKinds extends dev.ioloop.iostream.IOStreamBufferKindsTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class StreamStageFailures extends dev.ioloop.iostream.IOStreamStageFailureTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class StreamFutureStress extends dev.ioloop.iostream.StreamFutureStressTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class StreamLargeTransfers extends dev.ioloop.iostream.IOStreamLargeTransferTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class StreamSplitReads extends dev.ioloop.iostream.IOStreamSplitReadTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class TcpClients extends dev.ioloop.tcp.TCPClientTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class TcpServers extends dev.ioloop.tcp.TCPServerTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class TcpServerStress extends dev.ioloop.tcp.TCPServerStressTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class ConnectionReadyServerExample extends dev.ioloop.examples.ConnectionReadyServerTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class TlsStreams extends dev.ioloop.iostream.TlsStreamContract {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class TlsBadInput extends dev.ioloop.iostream.TlsBadInputContract {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class TlsTransfers extends dev.ioloop.iostream.TlsTransferContract {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }

    @Nested
    class TlsServersAndClients extends dev.ioloop.tcp.TlsServerClientContract {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return IOLoopBackend.selector();
        }
    }
}
