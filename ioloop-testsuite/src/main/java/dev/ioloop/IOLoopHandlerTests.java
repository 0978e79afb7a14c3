package dev.ioloop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.event.Level;
import dev.ioloop.testing.BackendSuite;
import dev.ioloop.test.LogCapture;
import dev.ioloop.test.IOLoopTest;
import dev.ioloop.test.RunningLoop;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

@IOLoopTest(makeCurrent = false)
public abstract class IOLoopHandlerTests extends BackendSuite {

    private static Pipe nonBlockingPipe() throws IOException {
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        pipe.sink().configureBlocking(false);
        return pipe;
    }

    private static void write(Pipe pipe, String text) throws IOException {
        pipe.sink().write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void readHandlerIsCalledWhenDataArrives(RunningLoop running) throws Exception {
        Pipe pipe = nonBlockingPipe();
        CompletableFuture<Integer> events = new CompletableFuture<>();
        running.loop().addHandler(pipe.source(), (channel, ready) -> {
            ((Pipe.SourceChannel) channel).read(ByteBuffer.allocate(16));
            events.complete(ready);
        }, IOLoop.READ);
        write(pipe, "x");
        assertThat(running.await(events)).isEqualTo(IOLoop.READ);
        pipe.sink().close();
    }

    @Test
    void handlersAreLevelTriggeredUntilTheDataIsConsumed(RunningLoop running) throws Exception {
        Pipe pipe = nonBlockingPipe();
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<String> drained = new CompletableFuture<>();
        running.loop().addHandler(pipe.source(), (channel, ready) -> {
            if (calls.incrementAndGet() < 3) {
                return; // don't read: level-triggered readiness must report the same data again
            }
            ByteBuffer buffer = ByteBuffer.allocate(16);
            ((Pipe.SourceChannel) channel).read(buffer);
            running.loop().removeHandler(channel);
            drained.complete(new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII));
        }, IOLoop.READ);
        write(pipe, "abc");
        assertThat(running.await(drained)).isEqualTo("abc");
        assertThat(calls).hasValue(3);
        pipe.sink().close();
    }

    @Test
    void readAndWriteReadinessArriveInOneCallWithBothBits(RunningLoop running) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             SocketChannel client = SocketChannel.open(server.getLocalAddress());
             SocketChannel accepted = server.accept()) {
            accepted.write(ByteBuffer.wrap(new byte[] {1}));
            client.configureBlocking(false);
            CompletableFuture<Integer> events = new CompletableFuture<>();
            running.loop().addHandler(client, (channel, ready) -> {
                running.loop().removeHandler(channel);
                events.complete(ready);
            }, IOLoop.READ | IOLoop.WRITE);
            assertThat(running.await(events)).isEqualTo(IOLoop.READ | IOLoop.WRITE);
        }
    }

    @Test
    void readOnAServerChannelMeansAConnectionIsWaitingToBeAccepted(RunningLoop running) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            server.configureBlocking(false);
            CompletableFuture<SocketChannel> accepted = new CompletableFuture<>();
            running.loop().addHandler(server, (channel, ready) -> {
                SocketChannel connection = server.accept();
                if (connection != null) {
                    running.loop().removeHandler(channel);
                    accepted.complete(connection);
                }
            }, IOLoop.READ);
            try (Socket client = new Socket("127.0.0.1", ((InetSocketAddress) server.getLocalAddress()).getPort())) {
                SocketChannel connection = running.await(accepted);
                assertThat(connection.getRemoteAddress()).isEqualTo(client.getLocalSocketAddress());
                connection.close();
            }
        }
    }

    @Test
    void writeOnAConnectingChannelReportsTheConnectThenWritability(RunningLoop running) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             SocketChannel client = SocketChannel.open()) {
            client.configureBlocking(false);
            client.connect(server.getLocalAddress());
            List<Boolean> connectedAtCall = new CopyOnWriteArrayList<>();
            CompletableFuture<List<Boolean>> twoCalls = new CompletableFuture<>();
            running.loop().addHandler(client, (channel, ready) -> {
                SocketChannel socket = (SocketChannel) channel;
                if (socket.isConnectionPending()) {
                    socket.finishConnect();
                    connectedAtCall.add(false);
                } else {
                    connectedAtCall.add(true);
                }
                if (connectedAtCall.size() == 2) {
                    running.loop().removeHandler(channel);
                    twoCalls.complete(connectedAtCall);
                }
            }, IOLoop.WRITE);
            assertThat(running.await(twoCalls)).containsExactly(false, true);
            server.accept().close();
        }
    }

    @Test
    void updateHandlerChangesTheEvents(RunningLoop running) throws Exception {
        Pipe pipe = nonBlockingPipe();
        write(pipe, "x");
        AtomicInteger calls = new AtomicInteger();
        running.loop().addHandler(pipe.source(), (channel, ready) -> calls.incrementAndGet(), IOLoop.NONE);
        running.drain();
        running.drain();
        assertThat(calls).hasValue(0);
        CompletableFuture<Integer> called = new CompletableFuture<>();
        running.loop().updateHandler(pipe.source(), IOLoop.READ);
        running.run(() -> running.loop().removeHandler(pipe.source()));
        running.loop().addHandler(pipe.source(), (channel, ready) -> called.complete(ready), IOLoop.READ);
        assertThat(running.await(called)).isEqualTo(IOLoop.READ);
        pipe.sink().close();
    }

    @Test
    void aChannelClosedUnderTheLoopIsReportedAsErrorOnce(RunningLoop running) throws Exception {
        Pipe pipe = nonBlockingPipe();
        List<Integer> events = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> error = new CompletableFuture<>();
        running.loop().addHandler(pipe.source(), (channel, ready) -> {
            events.add(ready);
            if ((ready & IOLoop.ERROR) != 0) {
                error.complete(ready);
            }
        }, IOLoop.READ);
        running.drain();
        pipe.source().close(); // closed without removeHandler
        running.loop().addCallback(() -> { }); // wake the loop
        assertThat(running.await(error)).isEqualTo(IOLoop.ERROR);
        running.drain();
        running.drain();
        assertThat(events).containsExactly(IOLoop.ERROR);
        assertThat(running.loop().stats().handlers()).isZero();
        pipe.sink().close();
    }

    @Test
    void removeHandlerStopsEventsAndIsANoOpTheSecondTime(RunningLoop running) throws Exception {
        Pipe pipe = nonBlockingPipe();
        AtomicInteger calls = new AtomicInteger();
        running.loop().addHandler(pipe.source(), (channel, ready) -> calls.incrementAndGet(), IOLoop.READ);
        running.loop().removeHandler(pipe.source());
        running.loop().removeHandler(pipe.source());
        write(pipe, "x");
        running.drain();
        running.drain();
        assertThat(calls).hasValue(0);
        assertThat(pipe.source().isOpen()).isTrue();
        pipe.source().close();
        pipe.sink().close();
    }

    @Test
    void aHandlerRemovedAndAddedAgainInOneIterationWorks(RunningLoop running) throws Exception {
        Pipe pipe = nonBlockingPipe();
        CompletableFuture<Integer> second = new CompletableFuture<>();
        running.run(() -> {
            running.loop().addHandler(pipe.source(), (channel, ready) -> { }, IOLoop.READ);
            running.loop().removeHandler(pipe.source());
            running.loop().addHandler(pipe.source(), (channel, ready) -> second.complete(ready), IOLoop.READ);
        });
        write(pipe, "x");
        assertThat(running.await(second)).isEqualTo(IOLoop.READ);
        pipe.sink().close();
    }

    @Test
    void aThrowingHandlerIsReportedAndStaysRegistered(RunningLoop running) throws Exception {
        Pipe pipe = nonBlockingPipe();
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<Integer> secondCall = new CompletableFuture<>();
        try (LogCapture logs = LogCapture.start()) {
            running.loop().addHandler(pipe.source(), (channel, ready) -> {
                if (calls.incrementAndGet() == 1) {
                    throw new IOException("handler failed");
                }
                ((Pipe.SourceChannel) channel).read(ByteBuffer.allocate(8));
                running.loop().removeHandler(channel);
                secondCall.complete(ready);
            }, IOLoop.READ);
            write(pipe, "x");
            assertThat(running.await(secondCall)).isEqualTo(IOLoop.READ);
            assertThat(logs.count(Level.ERROR, "Exception in callback")).isEqualTo(1);
        }
        pipe.sink().close();
    }

    @Test
    void badArgumentsAreRejectedAndChangeNothing(RunningLoop running) throws Exception {
        IOLoop loop = running.loop();
        Pipe pipe = Pipe.open();
        SelectableChannel blocking = pipe.source();
        assertThatIllegalArgumentException().isThrownBy(() -> loop.addHandler(blocking, (c, e) -> { }, IOLoop.READ))
                .withMessageContaining("blocking mode").withMessageContaining("configureBlocking(false)");
        pipe.source().configureBlocking(false);
        assertThatIllegalArgumentException().isThrownBy(() -> loop.addHandler(pipe.source(), (c, e) -> { }, 0x100))
                .withMessageContaining("unknown bits").withMessageContaining("0x100");
        assertThatIllegalArgumentException().isThrownBy(() -> loop.addHandler(pipe.source(), (c, e) -> { }, IOLoop.WRITE))
                .withMessageContaining("does not support WRITE");
        assertThat(loop.stats().handlers()).isZero();
        loop.addHandler(pipe.source(), (c, e) -> { }, IOLoop.READ);
        assertThatIllegalArgumentException().isThrownBy(() -> loop.addHandler(pipe.source(), (c, e) -> { }, IOLoop.READ))
                .withMessageContaining("already has a handler").withMessageContaining("updateHandler");
        assertThatIllegalArgumentException().isThrownBy(() -> loop.updateHandler(pipe.sink(), IOLoop.WRITE))
                .withMessageContaining("has no handler");
        assertThatIllegalArgumentException().isThrownBy(() -> loop.updateHandler(pipe.source(), 0x200))
                .withMessageContaining("unknown bits");
        assertThat(loop.stats().handlers()).isEqualTo(1);
        loop.removeHandler(pipe.source());
        pipe.sink().close();
        SocketChannel closed = SocketChannel.open();
        closed.configureBlocking(false);
        closed.close();
        assertThatIllegalArgumentException().isThrownBy(() -> loop.addHandler(closed, (c, e) -> { }, IOLoop.READ))
                .withMessageContaining("is closed");
        assertThatNullPointerException().isThrownBy(() -> loop.addHandler(null, (c, e) -> { }, IOLoop.READ))
                .withMessage("channel");
        assertThatNullPointerException().isThrownBy(() -> loop.addHandler(pipe.source(), null, IOLoop.READ))
                .withMessage("handler");
        pipe.source().close();
    }

    @Test
    void errorBitsInTheMaskAreAcceptedAndErrorIsAlwaysReported(RunningLoop running) throws Exception {
        Pipe pipe = nonBlockingPipe();
        CompletableFuture<Integer> error = new CompletableFuture<>();
        running.loop().addHandler(pipe.source(), (channel, ready) -> error.complete(ready), IOLoop.ERROR);
        running.drain();
        pipe.source().close();
        running.loop().addCallback(() -> { });
        assertThat(running.await(error)).isEqualTo(IOLoop.ERROR);
        pipe.sink().close();
    }

    @Test
    void closeWithAllFdsClosesEveryRegisteredChannel() throws Exception {
        IOLoop loop = IOLoop.builder().makeCurrent(false).build();
        Pipe first = nonBlockingPipe();
        Pipe second = nonBlockingPipe();
        loop.addHandler(first.source(), (c, e) -> { }, IOLoop.READ);
        loop.addHandler(second.sink(), (c, e) -> { }, IOLoop.WRITE);
        loop.close(true);
        assertThat(first.source().isOpen()).isFalse();
        assertThat(second.sink().isOpen()).isFalse();
        assertThat(first.sink().isOpen()).isTrue();
        first.sink().close();
        second.source().close();
    }

    @Test
    void closeWithoutAllFdsLeavesChannelsOpen() throws Exception {
        IOLoop loop = IOLoop.builder().makeCurrent(false).build();
        Pipe pipe = nonBlockingPipe();
        loop.addHandler(pipe.source(), (c, e) -> { }, IOLoop.READ);
        loop.close();
        assertThat(pipe.source().isOpen()).isTrue();
        pipe.source().close();
        pipe.sink().close();
    }

    @Test
    void aHandlerRemovedByAnotherHandlerInTheSameIterationIsNotCalled(RunningLoop running) throws Exception {
        Pipe first = nonBlockingPipe();
        Pipe second = nonBlockingPipe();
        write(first, "1");
        write(second, "2");
        List<String> called = new CopyOnWriteArrayList<>();
        running.run(() -> {
            // both are ready before the next select, so both keys come back from the same select
            IOLoop.IOHandler removeOther = (channel, ready) -> {
                called.add(channel == first.source() ? "first" : "second");
                running.loop().removeHandler(first.source());
                running.loop().removeHandler(second.source());
            };
            running.loop().addHandler(first.source(), removeOther, IOLoop.READ);
            running.loop().addHandler(second.source(), removeOther, IOLoop.READ);
        });
        running.drain();
        running.drain();
        assertThat(called).hasSize(1);
        first.sink().close();
        second.sink().close();
        first.source().close();
        second.source().close();
    }
}
