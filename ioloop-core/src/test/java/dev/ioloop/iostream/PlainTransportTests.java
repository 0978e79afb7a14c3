package dev.ioloop.iostream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PlainTransport's copies through the thread's direct buffer ({@link ThreadIoBuffer}), over real
 * loopback sockets on the test thread: every length around the word-copy and bulk-copy boundaries,
 * every kind of buffer, partial writes behind a peer that does not read, buffers larger than the
 * thread's, many transports on one thread and transports on many threads at once. Each byte is
 * checked against a pattern, and reads check that nothing outside the bytes read was written.
 */
class PlainTransportTests {

    private static final byte GUARD = (byte) 0xA5;

    private final List<SocketChannel> opened = new ArrayList<>();

    @AfterEach
    void closeSockets() throws IOException {
        for (SocketChannel channel : opened) {
            channel.close();
        }
    }

    /** A connected loopback pair: [0] the transport's end (non-blocking), [1] the peer's (blocking). */
    private SocketChannel[] pair() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel far = SocketChannel.open(listener.getLocalAddress());
            SocketChannel near = listener.accept();
            near.configureBlocking(false);
            opened.add(near);
            opened.add(far);
            return new SocketChannel[] {near, far};
        }
    }

    private static byte at(long offset, int seed) {
        return (byte) ((offset * 31 + seed) % 251);
    }

    /** {@code length} pattern bytes from {@code from}, in a buffer of kind 0 heap, 1 slice, 2 read-only, 3 direct. */
    private static ByteBuffer ofKind(int kind, long from, int length, int seed) {
        ByteBuffer heap = ByteBuffer.allocate(length);
        for (int i = 0; i < length; i++) {
            heap.put(i, at(from + i, seed));
        }
        switch (kind) {
            case 0:
                return heap;
            case 1: // array offset 3, bytes from position 5
                ByteBuffer slice = ByteBuffer.allocate(length + 11).position(3).slice();
                slice.position(5);
                slice.put(heap);
                return slice.limit(slice.position()).position(5);
            case 2:
                return heap.asReadOnlyBuffer();
            default:
                return ByteBuffer.allocateDirect(length).put(heap).flip();
        }
    }

    /** The peer reads exactly {@code length} bytes and checks them against the pattern. */
    private static void peerReceives(SocketChannel far, long from, int length, int seed) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(length);
        while (in.hasRemaining()) {
            assertThat(far.read(in)).as("the peer's read").isNotNegative();
        }
        for (int i = 0; i < length; i++) {
            assertThat(in.get(i)).as("byte %d of %d", i, length).isEqualTo(at(from + i, seed));
        }
    }

    private static void peerSends(SocketChannel far, long from, int length, int seed) throws IOException {
        ByteBuffer out = ofKind(0, from, length, seed);
        while (out.hasRemaining()) {
            far.write(out);
        }
    }

    /** Lengths 0-300 (word copies, their tails, the boundary to bulk copies), and larger ones up to the buffer's size. */
    private static int[] lengths() {
        int[] small = new int[301];
        for (int i = 0; i < small.length; i++) {
            small[i] = i;
        }
        int[] large = {511, 4096, 4097, ThreadIoBuffer.CAPACITY - 1, ThreadIoBuffer.CAPACITY};
        int[] all = new int[small.length + large.length];
        System.arraycopy(small, 0, all, 0, small.length);
        System.arraycopy(large, 0, all, small.length, large.length);
        return all;
    }

    @Test
    void writesOfEveryLengthFromEveryKindOfBufferArriveByteForByteAndAdvanceThePosition() throws IOException {
        SocketChannel[] pair = pair();
        PlainTransport transport = new PlainTransport(pair[0]);
        pair[1].configureBlocking(true);
        long offset = 0;
        for (int length : lengths()) {
            for (int kind = 0; kind < 4; kind++) {
                ByteBuffer src = ofKind(kind, offset, length, 7);
                int limit = src.limit();
                int written = 0;
                while (src.hasRemaining()) { // the socket may take a large buffer in parts
                    int n = transport.write(src);
                    written += n;
                    assertThat(src.position()).as("position after a write of %d (kind %d)", length, kind)
                            .isEqualTo(limit - length + written);
                    if (src.hasRemaining()) {
                        peerReceives(pair[1], offset, written, 7);
                        offset += written;
                        length -= written;
                        written = 0;
                    }
                }
                assertThat(src.limit()).isEqualTo(limit);
                peerReceives(pair[1], offset, written, 7);
                offset += written;
            }
        }
    }

    @Test
    void readsOfEveryLengthLandAtThePositionAndWriteNothingElse() throws IOException {
        SocketChannel[] pair = pair();
        PlainTransport transport = new PlainTransport(pair[0]);
        pair[0].configureBlocking(true); // each read below then waits for the peer's bytes
        long offset = 0;
        for (int length : lengths()) {
            if (length == 0) {
                continue;
            }
            peerSends(pair[1], offset, length, 3);
            // the destination: a slice at array offset 8, read at position 3, with room for 13 more bytes
            byte[] array = new byte[length + 40];
            java.util.Arrays.fill(array, GUARD);
            ByteBuffer dst = ByteBuffer.wrap(array, 8, length + 16 + Math.min(length, 16)).slice();
            dst.position(3).limit(3 + Math.min(length + 13, ThreadIoBuffer.CAPACITY));
            int got = 0;
            while (got < length) {
                int n = transport.read(dst);
                assertThat(n).as("a read of %d bytes", length).isPositive();
                got += n;
                assertThat(dst.position()).isEqualTo(3 + got);
            }
            assertThat(got).isEqualTo(length);
            for (int i = 0; i < array.length; i++) {
                int inRead = i - 11;
                byte expected = inRead >= 0 && inRead < length ? at(offset + inRead, 3) : GUARD;
                assertThat(array[i]).as("array byte %d after a read of %d", i, length).isEqualTo(expected);
            }
            offset += length;
        }
    }

    @Test
    void aReadTakesNoMoreThanTheDestinationsRoomWhenThePeerSentMore() throws IOException {
        SocketChannel[] pair = pair();
        PlainTransport transport = new PlainTransport(pair[0]);
        pair[0].configureBlocking(true);
        int[] rooms = {1, 7, 8, 9, 255, 256, 257, 300, 4096};
        int total = 0;
        for (int room : rooms) {
            total += room;
        }
        peerSends(pair[1], 0, total + 1, 4); // one byte more than all the rooms: every read could take more
        long offset = 0;
        for (int room : rooms) {
            byte[] array = new byte[room + 16];
            java.util.Arrays.fill(array, GUARD);
            ByteBuffer dst = ByteBuffer.wrap(array, 0, room); // limit = room: the guard bytes lie past it
            while (dst.hasRemaining()) {
                assertThat(transport.read(dst)).isPositive();
            }
            for (int i = 0; i < array.length; i++) {
                assertThat(array[i]).as("array byte %d, room %d", i, room).isEqualTo(i < room ? at(offset + i, 4) : GUARD);
            }
            offset += room;
        }
        ByteBuffer last = ByteBuffer.allocate(10);
        assertThat(transport.read(last)).isEqualTo(1);
        assertThat(last.get(0)).isEqualTo(at(offset, 4));
    }

    @Test
    void aReadWithNothingAvailableTakesNothingAndAtTheEndOfTheStreamAnswersMinusOne() throws IOException {
        SocketChannel[] pair = pair();
        PlainTransport transport = new PlainTransport(pair[0]);
        ByteBuffer dst = ByteBuffer.allocate(100);
        assertThat(transport.read(dst)).isZero();
        assertThat(dst.position()).isZero();
        pair[1].close();
        pair[0].configureBlocking(true);
        assertThat(transport.read(dst)).isEqualTo(-1);
        assertThat(dst.position()).isZero();
    }

    @Test
    void directAndLargeDestinationsAreReadAsTheyAreAndReadOnlyOnesAreRefused() throws IOException {
        SocketChannel[] pair = pair();
        PlainTransport transport = new PlainTransport(pair[0]);
        pair[0].configureBlocking(true);
        int large = ThreadIoBuffer.CAPACITY + 5_000;
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
            try {
                peerSends(pair[1], 0, 100 + large, 9);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        ByteBuffer direct = ByteBuffer.allocateDirect(100);
        while (direct.hasRemaining()) {
            transport.read(direct);
        }
        ByteBuffer big = ByteBuffer.allocate(large); // more room than the thread's buffer holds
        while (big.hasRemaining()) {
            assertThat(transport.read(big)).isPositive();
        }
        sent.join();
        for (int i = 0; i < 100; i++) {
            assertThat(direct.get(i)).isEqualTo(at(i, 9));
        }
        for (int i = 0; i < large; i++) {
            assertThat(big.get(i)).as("byte %d", i).isEqualTo(at(100 + i, 9));
        }
        assertThatThrownBy(() -> transport.read(ByteBuffer.allocate(10).asReadOnlyBuffer()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesASlowPeerTakesInPartAdvanceEachBufferByExactlyWhatTheSocketTook() throws IOException {
        SocketChannel[] pair = pair();
        pair[0].setOption(StandardSocketOptions.SO_SNDBUF, 8 * 1024);
        pair[1].setOption(StandardSocketOptions.SO_RCVBUF, 8 * 1024);
        pair[1].configureBlocking(true);
        PlainTransport transport = new PlainTransport(pair[0]);
        SplittableRandom random = new SplittableRandom(12);
        long offset = 0; // bytes the transport wrote so far
        long read = 0; // bytes the peer read so far
        for (int round = 0; round < 6; round++) {
            boolean gather = round % 2 == 1;
            boolean partial = false;
            while (!partial) { // the peer reads nothing until the socket took only part of a write
                int count = gather ? 2 + random.nextInt(6) : 1;
                ByteBuffer[] srcs = new ByteBuffer[count + 2];
                int[] lengths = new int[count + 2];
                srcs[0] = ofKind(0, 0, 9, 5); // before the range offered: must stay untouched
                srcs[count + 1] = ofKind(0, 0, 9, 5); // after it
                long at = offset;
                for (int i = 1; i <= count; i++) {
                    lengths[i] = gather && i == 2 ? 0 : 1 + random.nextInt(700);
                    srcs[i] = ofKind(random.nextInt(3), at, lengths[i], 5); // heap kinds: they go through the copy
                    at += lengths[i];
                }
                long offered = at - offset;
                long taken = gather ? transport.write(srcs, 1, count) : transport.write(srcs[1]);
                long left = taken;
                for (int i = 1; i <= count; i++) { // earlier buffers give all their bytes before later ones give any
                    int expected = (int) Math.min(left, lengths[i]);
                    assertThat(srcs[i].remaining()).as("buffer %d of %d, %d taken", i, count, taken)
                            .isEqualTo(lengths[i] - expected);
                    left -= expected;
                }
                assertThat(srcs[0].position()).isZero();
                assertThat(srcs[count + 1].position()).isZero();
                partial = taken < offered;
                offset += taken;
            }
            peerReceives(pair[1], read, (int) (offset - read), 5);
            read = offset;
        }
    }

    @Test
    void gatheringWritesOverTheThreadsBufferOrWithADirectBufferGoToTheChannelAsTheyAre() throws IOException {
        SocketChannel[] pair = pair();
        PlainTransport transport = new PlainTransport(pair[0]);
        pair[1].configureBlocking(true);
        int big = ThreadIoBuffer.CAPACITY - 10;
        long offset = 0;
        for (int c = 0; c < 2; c++) {
            ByteBuffer[] srcs = c == 0
                    ? new ByteBuffer[] {ofKind(0, offset, big, 2), ofKind(1, offset + big, 11, 2)} // 1 byte over
                    : new ByteBuffer[] {ofKind(0, offset, 10, 2), ofKind(3, offset + 10, 10, 2), ofKind(2, offset + 20, 10, 2)};
            long total = 0;
            for (ByteBuffer src : srcs) {
                total += src.remaining();
            }
            long written = 0;
            while (written < total) {
                long n = transport.write(srcs, 0, srcs.length);
                peerReceives(pair[1], offset + written, (int) n, 2);
                written += n;
            }
            for (ByteBuffer src : srcs) {
                assertThat(src.hasRemaining()).isFalse();
            }
            offset += total;
        }
    }

    @Test
    void manyTransportsOnOneThreadShareItsBufferWithoutMixingTheirBytes() throws IOException {
        int count = 8;
        SocketChannel[][] pairs = new SocketChannel[count][];
        PlainTransport[] transports = new PlainTransport[count];
        for (int i = 0; i < count; i++) {
            pairs[i] = pair();
            pairs[i][1].configureBlocking(true);
            transports[i] = new PlainTransport(pairs[i][0]);
        }
        SplittableRandom random = new SplittableRandom(3);
        long[] sent = new long[count];
        long[] received = new long[count];
        for (int round = 0; round < 200; round++) {
            int[] lengths = new int[count];
            for (int i = 0; i < count; i++) { // every peer sends, then every transport writes, then reads
                lengths[i] = 1 + random.nextInt(i % 2 == 0 ? 40 : 2_000);
                peerSends(pairs[i][1], received[i], lengths[i], 100 + i);
            }
            for (int i = 0; i < count; i++) {
                ByteBuffer src = ofKind(random.nextInt(3), sent[i], lengths[i], i);
                assertThat(transports[i].write(src)).isEqualTo(lengths[i]);
            }
            for (int i = 0; i < count; i++) {
                pairs[i][0].configureBlocking(true);
                ByteBuffer dst = ByteBuffer.allocate(lengths[i]);
                while (dst.hasRemaining()) {
                    transports[i].read(dst);
                }
                for (int b = 0; b < lengths[i]; b++) {
                    assertThat(dst.get(b)).as("transport %d byte %d", i, received[i] + b)
                            .isEqualTo(at(received[i] + b, 100 + i));
                }
                received[i] += lengths[i];
                peerReceives(pairs[i][1], sent[i], lengths[i], i);
                sent[i] += lengths[i];
            }
        }
    }

    @Test
    void transportsOnManyThreadsAtOnceEachUseTheirOwnThreadsBuffer() throws Exception {
        int threads = 4;
        int iterations = 3_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<CompletableFuture<Long>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                SocketChannel[] pair = pair();
                pair[0].configureBlocking(true);
                pair[1].configureBlocking(true);
                int seed = 17 * (t + 1);
                done.add(CompletableFuture.supplyAsync(() -> echoThrough(pair, seed, iterations), pool));
            }
            for (CompletableFuture<Long> each : done) {
                assertThat(each.get(2, TimeUnit.MINUTES)).isPositive();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTransportUsedOnAnotherThreadTakesThatThreadsBufferNotTheOneItRemembered() throws Exception {
        // a loop stopped on one thread and started again on another: its streams' transports move with it,
        // and the first thread may meanwhile run another loop with its own buffer
        SocketChannel[] pair = pair();
        PlainTransport transport = new PlainTransport(pair[0]);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            ThreadIoBuffer mine = ThreadIoBuffer.current();
            assertThat(transport.ioBuffer()).isSameAs(mine);
            ThreadIoBuffer[] seen = other.submit(() -> new ThreadIoBuffer[] {transport.ioBuffer(), ThreadIoBuffer.current()})
                    .get(1, TimeUnit.MINUTES);
            assertThat(seen[0]).as("on the other thread").isSameAs(seen[1]).isNotSameAs(mine);
            assertThat(transport.ioBuffer()).as("back on the first thread").isSameAs(mine);
            // and bytes still go through whole from both threads in turn
            transport.write(ofKind(0, 0, 100, 5));
            peerReceives(pair[1], 0, 100, 5);
            other.submit(() -> transport.write(ofKind(1, 100, 200, 5))).get(1, TimeUnit.MINUTES);
            peerReceives(pair[1], 100, 200, 5);
        } finally {
            other.shutdownNow();
        }
    }

    /** On one thread: writes through a transport and reads back what the peer sent, checking every byte. */
    private static long echoThrough(SocketChannel[] pair, int seed, int iterations) {
        PlainTransport transport = new PlainTransport(pair[0]);
        SplittableRandom random = new SplittableRandom(seed);
        long offset = 0;
        try {
            for (int i = 0; i < iterations; i++) {
                int length = 1 + random.nextInt(i % 3 == 0 ? 1_500 : 64);
                ByteBuffer src = ofKind(random.nextInt(3), offset, length, seed);
                while (src.hasRemaining()) {
                    transport.write(src);
                }
                peerReceives(pair[1], offset, length, seed);
                peerSends(pair[1], offset, length, seed + 1);
                ByteBuffer dst = ByteBuffer.allocate(length);
                while (dst.hasRemaining()) {
                    transport.read(dst);
                }
                for (int b = 0; b < length; b++) {
                    if (dst.get(b) != at(offset + b, seed + 1)) {
                        throw new AssertionError("seed " + seed + " byte " + (offset + b) + " read wrong");
                    }
                }
                offset += length;
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return offset;
    }
}
