package dev.ioloop.iostream;

import static dev.ioloop.iostream.LoopThread.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.ioloop.test.IOLoopTest;

/**
 * Every kind of buffer a user hands to a stream reaches the socket, and comes back from it, byte for byte: heap
 * buffers (whole, sliced, read-only, larger than one socket write), direct buffers, and mixtures of them queued
 * behind a peer that does not read, so that they are gathered into one socket write and the socket takes only
 * part of what is offered. A transport or write queue that copies buffers on their way (issue 12 first measured,
 * and did not keep, one that copied small heap buffers through a per-thread direct buffer) must get this right: a
 * wrong offset, a position advanced by more or less than the socket took, or a byte lost at a partial write
 * breaks the pattern the peer checks here (each of the three, put into that copying transport, failed this
 * suite). The transport now does copy heap buffers of up to 64 KiB through its loop thread's direct buffer
 * (word by word up to 256 bytes, in bulk above): messages of every length up to past that boundary are
 * echoed through a stream here, both ways. Real loopback sockets.
 */
@IOLoopTest(makeCurrent = false)
public abstract class IOStreamBufferKindsTests extends SocketPairStreamSuite {

    @Override
    protected String loopName() {
        return "buffer-kinds-test";
    }

    /** The pattern from {@code from} in the kind of buffer {@code kind} names, positioned at its first byte. */
    private static ByteBuffer ofKind(int kind, long from, int length) {
        ByteBuffer heap = pattern(from, length);
        switch (kind) {
            case 0:
                return heap;
            case 1: // a slice (array offset 3) whose bytes start at position 4
                ByteBuffer slice = ByteBuffer.allocate(length + 10).position(3).slice();
                slice.position(4);
                slice.put(heap);
                return slice.limit(slice.position()).position(4);
            case 2:
                return heap.asReadOnlyBuffer();
            default:
                return ByteBuffer.allocateDirect(length).put(heap).flip();
        }
    }

    @Test
    void smallBuffersOfEveryKindQueuedBehindASlowPeerArriveInOrderAndEachIsWrittenWhole() throws Exception {
        int total = 512 * 1024;
        // small socket buffers: the socket takes a few KiB at a time, so gathered writes are taken in part
        setNearSendBuffer(pair, 8 * 1024);
        pair.far().setOption(StandardSocketOptions.SO_RCVBUF, 8 * 1024);
        List<ByteBuffer> written = new ArrayList<>();
        CompletableFuture<Void> drained = loop.call(() -> {
            long offset = 0;
            int i = 0;
            while (offset < total) {
                // sizes 1..1500: dozens go into one gathering write; every 400th is larger than 64 KiB. Runs of
                // heap buffers (whole, sliced, read-only) with a direct one every 300th, so that gathering
                // writes of only heap buffers and writes that mix both kinds both happen
                int size = (int) Math.min(total - offset, i % 400 == 399 ? 70_000 + i : 1 + (i * 37) % 1500);
                ByteBuffer buffer = ofKind(i % 300 == 299 ? 3 : i % 3, offset, size);
                written.add(buffer);
                assertThat(stream.writeWithoutFuture(buffer)).isTrue();
                offset += size;
                i++;
            }
            return stream.whenWritten();
        });
        assertThat(drained).as("the peer has not read yet").isNotDone();
        pair.far().configureBlocking(true);
        peerReceivesPattern(total);
        await(drained);
        loop.run(() -> {
            for (ByteBuffer buffer : written) {
                assertThat(buffer.hasRemaining()).as("written whole: %s", buffer).isFalse();
            }
        });
    }

    @Test
    void messagesOfEveryLengthEchoedThroughTheStreamComeBackByteForByte() throws Exception {
        int longest = 600; // past the transport's word-copy limit (256 bytes), so both of its copies run
        long total = (long) longest * (longest + 1) / 2;
        pair.far().configureBlocking(true);
        CompletableFuture<Void> allEchoed = new CompletableFuture<>();
        loop.run(() -> echo(1, longest, allEchoed));
        AtomicReference<Throwable> peerFailure = new AtomicReference<>();
        Thread peer = new Thread(() -> {
            try {
                long offset = 0;
                for (int length = 1; length <= longest; length++) { // one message per write: reads of every size
                    ByteBuffer message = pattern(offset, length);
                    while (message.hasRemaining()) {
                        pair.far().write(message);
                    }
                    offset += length;
                }
            } catch (IOException | RuntimeException e) {
                peerFailure.set(e); // asserted below: the test fails with it
            }
        }, "buffer-kinds-echo-peer");
        peer.start();
        peerReceivesPattern(total);
        await(allEchoed);
        peer.join(30_000);
        assertThat(peer.isAlive()).isFalse();
        assertThat(peerFailure.get()).isNull();
    }

    /** Reads a message of {@code length} bytes, writes it back, and goes on with the next length up to {@code longest}. */
    private void echo(int length, int longest, CompletableFuture<Void> allEchoed) {
        if (length > longest) {
            allEchoed.complete(null);
            return;
        }
        stream.readBytes(length).whenComplete((message, failure) -> {
            if (failure != null) {
                allEchoed.completeExceptionally(failure);
                return;
            }
            stream.write(message);
            echo(length + 1, longest, allEchoed);
        });
    }

    @Test
    void bytesReadIntoEveryKindOfBufferAreThePeersInOrder() throws Exception {
        int[] sizes = {1, 100, 64 * 1024, 64 * 1024 + 1, 200_000, 5_000};
        long total = 0;
        for (int size : sizes) {
            total += size;
        }
        ByteBuffer sent = pattern(0, (int) total);
        pair.far().configureBlocking(true);
        AtomicReference<Throwable> peerFailure = new AtomicReference<>();
        Thread peer = new Thread(() -> {
            try {
                while (sent.hasRemaining()) {
                    pair.far().write(sent);
                }
            } catch (IOException | RuntimeException e) {
                peerFailure.set(e); // asserted below: the test fails with it
            }
        }, "buffer-kinds-peer");
        peer.start();
        long offset = 0;
        for (int k = 0; k < sizes.length; k++) {
            int size = sizes[k];
            int kind = k % 3; // heap, sliced heap, direct (a stream refuses read-only destinations)
            ByteBuffer into = kind == 0 ? ByteBuffer.allocate(size)
                    : kind == 1 ? ByteBuffer.allocate(size + 9).position(5).limit(5 + size).slice()
                    : ByteBuffer.allocateDirect(size);
            int n = await(loop.call(() -> stream.readInto(into, false)));
            assertThat(n).isEqualTo(size);
            into.flip();
            for (int i = 0; i < size; i++) {
                assertThat(into.get(i)).as("byte %d", offset + i).isEqualTo((byte) ((offset + i) % 251));
            }
            offset += size;
        }
        peer.join(30_000);
        assertThat(peer.isAlive()).isFalse();
        assertThat(peerFailure.get()).isNull();
    }
}
