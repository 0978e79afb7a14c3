package dev.ioloop.iostream;

import static dev.ioloop.iostream.LoopThread.await;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.ioloop.IOLoop;
import dev.ioloop.test.IOLoopTest;
import dev.ioloop.testing.BackendSuite;

/**
 * Data through TLS streams, written once for every loop backend: every read kind with its message
 * split into two TLS records at every boundary; 100 MiB each way between two TLS streams with
 * bounded buffers; a peer that does not read (writes wait, the queue stays bounded); a peer that
 * floods an idle stream (it stops at its idle cap and TCP slows the peer).
 */
@IOLoopTest(makeCurrent = false)
public abstract class TlsTransferContract extends BackendSuite {

    private static final int CHUNK = IOStreamBackPressureTests.CHUNK;
    private static final int MAX_WRITE_BUFFER = 1024 * 1024;

    /** A new, not yet started loop of the backend under test (BackendSuite configured it). */
    protected IOLoop newLoop(String name) {
        return IOLoop.builder().name(name).makeCurrent(false).build();
    }

    LoopThread loop;

    @BeforeEach
    void startLoop() {
        loop = new LoopThread(newLoop("tls-transfer-test"));
    }

    @AfterEach
    void stopLoop() throws InterruptedException {
        loop.close();
    }

    /** A server stream with the given limits, TLS done with a JDK client on {@code connection}. */
    private IOStream serverStream(TlsFixture.Connection connection, SSLSocket[] client, int maxWriteBufferSize)
            throws Exception {
        IOStream stream = loop.call(() -> new IOStream(connection.near(), loop.loop(), IOStream.DEFAULT_MAX_BUFFER_SIZE,
                maxWriteBufferSize));
        CompletableFuture<IOStream> started = loop.call(() -> stream.startTls(TlsFixture.serverOptions()));
        client[0] = connection.clientSocket(TlsFixture.CLIENT_CONTEXT);
        client[0].startHandshake();
        await(started);
        return stream;
    }

    @ParameterizedTest
    @EnumSource(IOStreamSplitReadTests.Kind.class)
    void everyReadKindGetsItsMessageWholeWhateverTheRecordBoundary(IOStreamSplitReadTests.Kind kind) throws Exception {
        for (boolean readFirst : new boolean[] {false, true}) {
            for (int split = 0; split <= kind.message.length(); split++) {
                try (TlsFixture.Connection connection = TlsFixture.Connection.open()) {
                    SSLSocket[] client = new SSLSocket[1];
                    IOStream stream = serverStream(connection, client, 0);
                    OutputStream out = client[0].getOutputStream();
                    CompletableFuture<String> read = readFirst ? loop.call(() -> kind.read.apply(stream)) : null;
                    send(out, kind.message.substring(0, split)); // one record
                    int sent = split;
                    if (readFirst && split == kind.message.length() && kind != IOStreamSplitReadTests.Kind.READ_UNTIL_CLOSE) {
                        await(read);
                    } else if (readFirst && kind == IOStreamSplitReadTests.Kind.READ_INTO) {
                        loop.awaitOnLoop("the first record is in the target", () -> IOStreamSplitReadTests.intoTarget.position() == sent);
                    } else {
                        loop.awaitOnLoop("the first record is decrypted", () -> stream.readBufferSize() == sent);
                    }
                    if (!readFirst) {
                        read = loop.call(() -> kind.read.apply(stream));
                    }
                    if (split < kind.message.length() || kind == IOStreamSplitReadTests.Kind.READ_UNTIL_CLOSE) {
                        assertThat(read).as("%s after %d of %d bytes", kind, split, kind.message.length()).isNotDone();
                    }
                    boolean toClose = kind == IOStreamSplitReadTests.Kind.READ_UNTIL_CLOSE;
                    send(out, kind.message.substring(split) + (toClose ? "" : "+tail")); // the second record
                    if (toClose) {
                        client[0].close(); // close_notify: the end of the stream
                    }
                    assertThat(await(read)).as("%s split at %d, read first: %s", kind, split, readFirst).isEqualTo(kind.message);
                    if (!toClose) {
                        assertThat(new String(await(loop.call(() -> stream.readBytes(5))), ISO_8859_1)).isEqualTo("+tail");
                    }
                    loop.run(stream::close);
                }
            }
        }
    }

    private static void send(OutputStream out, String text) throws IOException {
        if (!text.isEmpty()) {
            out.write(text.getBytes(ISO_8859_1));
            out.flush();
        }
    }

    @Test
    void oneHundredMebibytesEachWayBetweenTwoTlsStreamsWithBoundedBuffers() throws Exception {
        try (LoopThread clientLoop = new LoopThread(newLoop("tls-client-loop")); SocketPair pair = SocketPair.open()) {
            IOStream echo = loop.call(() -> new IOStream(pair.near(), loop.loop()));
            IOStream client = clientLoop.call(() -> new IOStream(pair.far(), clientLoop.loop()));
            CompletableFuture<IOStream> echoTls = loop.call(() -> echo.startTls(TlsFixture.serverOptions()));
            await(clientLoop.call(() -> client.startTls(TlsFixture.clientOptions())));
            await(echoTls);
            AtomicLong echoMaxBuffered = new AtomicLong();
            CompletableFuture<Long> echoed = new CompletableFuture<>();
            loop.run(() -> IOStreamLargeTransferTests.echoChunks(echo, 0, echoMaxBuffered, echoed));
            AtomicLong clientMaxQueued = new AtomicLong();
            CompletableFuture<Long> verified = new CompletableFuture<>();
            clientLoop.run(() -> {
                long[] offset = {0};
                for (int i = 0; i < IOStreamLargeTransferTests.IN_FLIGHT; i++) {
                    IOStreamLargeTransferTests.sendNext(client, offset, clientMaxQueued);
                }
                IOStreamLargeTransferTests.receive(client, ByteBuffer.allocateDirect(IOStreamLargeTransferTests.CHUNK), 0, verified);
            });
            assertThat(await(verified)).isEqualTo(IOStreamLargeTransferTests.TOTAL);
            int clientTransport = clientLoop.call(client::transportBufferCapacity);
            clientLoop.run(client::close);
            assertThat(await(echoed)).isEqualTo(IOStreamLargeTransferTests.TOTAL);
            assertThat(echoMaxBuffered.get()).isLessThanOrEqualTo(2L * ReadBuffer.STEADY_CAPACITY);
            assertThat(clientMaxQueued.get()).isLessThanOrEqualTo((long) IOStreamLargeTransferTests.IN_FLIGHT * IOStreamLargeTransferTests.CHUNK);
            int transportCap = (2 * TlsTransport.MAX_RECORDS + 1) * 17 * 1024;
            assertThat(clientTransport).as("the client's TLS buffers").isPositive().isLessThanOrEqualTo(transportCap);
            assertThat(loop.call(echo::transportBufferCapacity)).as("the echo's TLS buffers").isLessThanOrEqualTo(transportCap);
        }
    }

    @Test
    void aTlsPeerThatDoesNotReadLeavesWritesPendingWithTheQueueBoundedUntilItReads() throws Exception {
        try (TlsFixture.Connection connection = TlsFixture.Connection.open()) {
            SSLSocket[] client = new SSLSocket[1];
            IOStream stream = serverStream(connection, client, MAX_WRITE_BUFFER);
            List<CompletableFuture<Void>> accepted = IOStreamBackPressureTests.writeUntilRefused(loop, stream, MAX_WRITE_BUFFER);
            long expected = (long) accepted.size() * CHUNK;
            InputStream in = client[0].getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long received = 0;
            while (received < expected) {
                int n = in.read(buffer);
                assertThat(n).isPositive();
                for (int i = 0; i < n; i++) {
                    assertThat(buffer[i]).isEqualTo((byte) ((received + i) / CHUNK));
                }
                received += n;
            }
            accepted.forEach(LoopThread::await);
            assertThat(loop.call(stream::writeBufferSize)).isZero();
            loop.run(stream::close);
        }
    }

    @Test
    void aTlsPeerFloodingAnIdleStreamIsStoppedByTcpWithTheReadBufferAtItsIdleCap() throws Exception {
        try (TlsFixture.Connection connection = TlsFixture.Connection.open()) {
            SSLSocket[] client = new SSLSocket[1];
            IOStream stream = serverStream(connection, client, 0);
            long total = 32L * 1024 * 1024; // far more than the kernel's buffers hold
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = client[0].getOutputStream();
                    byte[] chunk = new byte[16 * 1024];
                    for (long offset = 0; offset < total; offset += chunk.length) {
                        for (int i = 0; i < chunk.length; i++) {
                            chunk[i] = (byte) ((offset + i) % 251);
                        }
                        out.write(chunk);
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            loop.awaitOnLoop("the idle stream buffered up to its cap", () -> stream.readBufferSize() == ReadBuffer.STEADY_CAPACITY);
            loop.run(() -> { });
            loop.run(() -> { });
            assertThat(loop.call(stream::readBufferSize)).isEqualTo(ReadBuffer.STEADY_CAPACITY);
            assertThat(sent).as("the peer is held back by TCP").isNotDone();

            ByteBuffer target = ByteBuffer.allocate(CHUNK);
            long received = 0;
            while (received < total) {
                target.clear();
                int n = await(loop.call(() -> stream.readInto(target, true)));
                for (int i = 0; i < n; i++) {
                    if (target.get(i) != (byte) ((received + i) % 251)) {
                        throw new AssertionError("byte " + (received + i) + " differs");
                    }
                }
                received += n;
                assertThat(loop.call(stream::readBufferCapacity)).isLessThanOrEqualTo(ReadBuffer.STEADY_CAPACITY);
            }
            await(sent);
            assertThat(received).isEqualTo(total);
            loop.run(stream::close);
        }
    }
}
