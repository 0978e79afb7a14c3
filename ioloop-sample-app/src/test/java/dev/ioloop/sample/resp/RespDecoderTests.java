package dev.ioloop.sample.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioloop.sample.testing.Transcript;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The request and reply decoders, fed every input split at every byte boundary (and byte by byte): the commands
 * decoded, and the protocol error raised, never depend on how the bytes arrived.
 */
class RespDecoderTests {

    private final RespDecoder decoder = new RespDecoder(RespDecoder.DEFAULT_MAX_BULK_LENGTH);

    /** What decoding a byte stream produced: the commands (printable) and the final protocol error, if any. */
    record Outcome(List<String> commands, String error) {
    }

    private static final String[] VALID = {
        "*1\r\n$4\r\nPING\r\n",
        "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n",
        "*2\r\n$4\r\nECHO\r\n$6\r\na\r\nb\r\n\r\n", // payload containing CRLF
        "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n",
        "PING\r\nECHO hello\r\n  SET  k   v \r\n",
        "\r\n\nPING\nECHO \"a b\\x41\\n\" 'it\\'s'\r\n",
        "set k \"\"\r\nget k\n",
    };

    @Test
    void validInputDecodesTheSameAtEverySplit() {
        for (String text : VALID) {
            byte[] input = text.getBytes(StandardCharsets.ISO_8859_1);
            Outcome whole = decode(input, new int[0]);
            assertThat(whole.error()).as(text).isNull();
            assertThat(whole.commands()).as(text).isNotEmpty();
            for (int k = 0; k <= input.length; k++) {
                assertThat(decode(input, new int[] {k})).as("split at %d of %s", k, text).isEqualTo(whole);
            }
            assertThat(decode(input, everyByte(input.length))).as("byte by byte: %s", text).isEqualTo(whole);
        }
    }

    @Test
    void decodesArgumentsExactly() {
        Outcome o = decode(bytes("*2\r\n$4\r\nECHO\r\n$6\r\na\r\nb\r\n\r\nPING\r\nECHO \"a b\\x41\\n\" 'it\\'s'\r\n\r\n*0\r\n"), new int[0]);
        assertThat(o.commands()).containsExactly("[ECHO, a\\r\\nb\\r\\n]", "[PING]", "[ECHO, a bA\\n, it's]", "[]", "[]");
    }

    @Test
    void redisProtocolTranscriptDecodesToTheSameCommandsAndErrorAtEverySplit() {
        // Each case: raw bytes and what Redis answered; here we check the decoder's part (commands, then error).
        List<String[]> cases = rawCases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(10);
        for (String[] c : cases) {
            byte[] input = Transcript.rawRequest(c[0]);
            String redisReply = new String(Transcript.unescape(c[1]), StandardCharsets.ISO_8859_1);
            Outcome whole = decode(input, new int[0]);
            if (redisReply.contains("-ERR Protocol error: ")) {
                String expected = redisReply.substring(redisReply.indexOf("-ERR ") + 5, redisReply.indexOf("\r\n", redisReply.indexOf("-ERR ")));
                assertThat(whole.error()).as(c[0]).isEqualTo(expected);
            } else {
                assertThat(whole.error()).as(c[0]).isNull();
            }
            // every split of the request (a long padded one: every split of its first 256 bytes and 64 more)
            int step = input.length <= 1024 ? 1 : input.length / 64;
            for (int k = 0; k <= input.length; k += (k < 256 ? 1 : step)) {
                assertThat(decode(input, new int[] {k})).as("split at %d of %s", k, c[0]).isEqualTo(whole);
            }
        }
    }

    @Test
    void linesWithoutTheirEndAreLimitedTo64KiB() {
        byte[] inline = new byte[RespDecoder.MAX_INLINE_LENGTH + 1];
        Arrays.fill(inline, (byte) 'a');
        assertThat(decode(Arrays.copyOf(inline, inline.length - 1), new int[0]).error()).isNull();
        assertThat(decode(inline, new int[0]).error()).isEqualTo("Protocol error: too big inline request");

        byte[] count = inline.clone();
        count[0] = '*';
        count[1] = '1';
        assertThat(decode(count, new int[0]).error()).isEqualTo("Protocol error: too big mbulk count string");

        byte[] bulk = new byte[4 + RespDecoder.MAX_INLINE_LENGTH + 1];
        Arrays.fill(bulk, (byte) '9');
        System.arraycopy(bytes("*1\r\n"), 0, bulk, 0, 4);
        assertThat(decode(bulk, new int[0]).error()).isEqualTo("Protocol error: too big bulk count string");
    }

    @Test
    void bulkLengthIsLimitedByMaxBulkLength() throws Exception {
        RespDecoder small = new RespDecoder(10);
        assertThat(small.decodeCommand(bytes("*1\r\n$10\r\n0123456789\r\n"), 0, 21, true))
                .isInstanceOf(DecodeResult.Complete.class);
        assertThatThrownBy(() -> small.decodeCommand(bytes("*1\r\n$11\r\n"), 0, 9, true))
                .isInstanceOf(RespProtocolException.class).hasMessage("Protocol error: invalid bulk length");
    }

    @Test
    void unauthenticatedClientsGetRedisTighterLimits() throws Exception {
        byte[] eleven = bytes("*11\r\n");
        assertThatThrownBy(() -> decoder.decodeCommand(eleven, 0, eleven.length, false))
                .hasMessage("Protocol error: unauthenticated multibulk length");
        assertThat(decoder.decodeCommand(eleven, 0, eleven.length, true)).isInstanceOf(DecodeResult.Incomplete.class);
        byte[] big = bytes("*1\r\n$16385\r\n");
        assertThatThrownBy(() -> decoder.decodeCommand(big, 0, big.length, false))
                .hasMessage("Protocol error: unauthenticated bulk length");
        assertThat(decoder.decodeCommand(big, 0, big.length, true)).isInstanceOf(DecodeResult.Incomplete.class);
    }

    @Test
    void aLargePayloadArrivingInPiecesStaysIncompleteUntilItsLastByte() throws Exception {
        byte[] payload = new byte[100_000];
        Arrays.fill(payload, (byte) 'x');
        byte[] input = RespEncoder.encodeCommand(bytes("SET"), bytes("k"), payload);
        for (int end = 0; end < input.length; end += 997) {
            assertThat(decoder.decodeCommand(input, 0, end, true)).isInstanceOf(DecodeResult.Incomplete.class);
        }
        DecodeResult<List<byte[]>> r = decoder.decodeCommand(input, 0, input.length, true);
        assertThat(r).isInstanceOf(DecodeResult.Complete.class);
        DecodeResult.Complete<List<byte[]>> c = (DecodeResult.Complete<List<byte[]>>) r;
        assertThat(c.end()).isEqualTo(input.length);
        assertThat(c.value().get(2)).isEqualTo(payload);
    }

    @Test
    void replyFramesOfEveryTypeDecodeTheSameAtEverySplit() throws Exception {
        List<RespFrame> frames = List.of(
                RespFrame.OK, RespFrame.error("ERR syntax error"), RespFrame.integer(-42),
                RespFrame.integer(Long.MIN_VALUE), RespFrame.bulk("a\r\nb"), RespFrame.bulk(""), RespFrame.NULL_BULK,
                RespFrame.NULL_ARRAY, RespFrame.EMPTY_ARRAY,
                new RespFrame.RespArray(List.of(RespFrame.bulk("x"), new RespFrame.RespArray(List.of(RespFrame.ONE)),
                        RespFrame.NULL_BULK)));
        ReplyBuffer out = new ReplyBuffer(16);
        for (RespFrame f : frames) {
            RespEncoder.encode(f, out);
        }
        byte[] input = out.toByteArray();
        for (int k = 0; k <= input.length; k++) {
            List<RespFrame> decoded = new ArrayList<>();
            int start = 0;
            for (int end : new int[] {k, input.length}) {
                while (decoder.decodeFrame(input, start, end) instanceof DecodeResult.Complete<RespFrame> c) {
                    decoded.add(c.value());
                    start = c.end();
                }
            }
            assertThat(decoded).as("split at %d", k).isEqualTo(frames);
            assertThat(start).isEqualTo(input.length);
        }
    }

    @Test
    void malformedReplyFramesAreProtocolErrors() {
        assertThatThrownBy(() -> decoder.decodeFrame(bytes("?x\r\n"), 0, 4)).isInstanceOf(RespProtocolException.class)
                .hasMessage("Protocol error: invalid frame type '?'");
        assertThatThrownBy(() -> decoder.decodeFrame(bytes("$1\r\nab\r\n"), 0, 7)).isInstanceOf(RespProtocolException.class);
        assertThatThrownBy(() -> decoder.decodeFrame(bytes(":1x\r\n"), 0, 5)).isInstanceOf(RespProtocolException.class);
    }

    @Test
    void constructorNamesTheBadLimit() {
        assertThatThrownBy(() -> new RespDecoder(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'maxBulkLength'").hasMessageContaining("(was 0)");
    }

    // ------------------------------------------------------------------ helpers

    /** Feeds {@code input} in chunks ending at {@code splits} (then the rest), decoding after each, as a socket would. */
    private Outcome decode(byte[] input, int[] splits) {
        List<String> commands = new ArrayList<>();
        int start = 0;
        int[] ends = Arrays.copyOf(splits, splits.length + 1);
        ends[splits.length] = input.length;
        try {
            for (int end : ends) {
                while (decoder.decodeCommand(input, start, end, true) instanceof DecodeResult.Complete<List<byte[]>> c) {
                    List<String> args = new ArrayList<>();
                    for (byte[] a : c.value()) {
                        args.add(Transcript.show(a));
                    }
                    commands.add(args.toString());
                    start = c.end();
                }
            }
            return new Outcome(commands, null);
        } catch (RespProtocolException e) {
            return new Outcome(commands, Objects.requireNonNull(e.getMessage()));
        }
    }

    private static int[] everyByte(int length) {
        int[] splits = new int[length];
        for (int i = 0; i < length; i++) {
            splits[i] = i;
        }
        return splits;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static List<String[]> rawCases() {
        List<String[]> cases = new ArrayList<>();
        try (var in = RespDecoderTests.class.getResourceAsStream("/redis-7.0.15-protocol.transcript")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].startsWith(">")) {
                    cases.add(new String[] {lines[i].substring(1), lines[i + 1].substring(1)});
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return cases;
    }

    @Test
    void aReusedArgumentListIsRefilledForEachRequest() throws Exception {
        byte[] input = bytes("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n\r\nPING\r\n*3\r\n$3\r\nSET");
        List<byte[]> args = new java.util.ArrayList<>();
        int next = decoder.decodeCommandInto(input, 0, input.length, true, args);
        assertThat(args).containsExactly(bytes("GET"), bytes("k"));
        next = decoder.decodeCommandInto(input, next, input.length, true, args);
        assertThat(args).isEmpty(); // the empty inline line
        next = decoder.decodeCommandInto(input, next, input.length, true, args);
        assertThat(args).containsExactly(bytes("PING"));
        assertThat(decoder.decodeCommandInto(input, next, input.length, true, args)).isEqualTo(RespDecoder.INCOMPLETE);
        assertThat(decoder.decodeCommandInto(input, input.length, input.length, true, args)).isEqualTo(RespDecoder.INCOMPLETE);
        assertThat(args).isEmpty();
    }
    @Test
    void unquotedInlineLinesSplitAsTheGeneralSplitterDoes() {
        // The quote-free fast path against sdssplitargs' general rules, over random lines of separators (the ones
        // skipped and the ones that end an argument differ: 0x0b and \f are skipped but do not end one) and letters.
        byte[] alphabet = {' ', '\t', '\r', '\n', 0x0b, '\f', 0, 'a', 'B', '7', '\\', '$', '*'};
        java.util.SplittableRandom random = new java.util.SplittableRandom(12);
        for (int round = 0; round < 20_000; round++) {
            byte[] line = new byte[random.nextInt(12)];
            for (int i = 0; i < line.length; i++) {
                line[i] = alphabet[random.nextInt(alphabet.length)];
            }
            RequestArgs fast = new RequestArgs();
            assertThat(InlineSplitter.splitInto(line, 0, line.length, fast)).isTrue();
            List<byte[]> general = Objects.requireNonNull(InlineSplitter.split(line, 0, line.length));
            assertThat(fast).as(Arrays.toString(line)).usingElementComparator(Arrays::compare).containsExactlyElementsOf(general);
        }
    }

    @Test
    void argumentsAreRangesOfTheInputCopiedOnlyWhenAskedFor() throws Exception {
        // a binary value holding CR LF and NUL, then an inline line with and without quotes
        byte[] input = bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\na\r\n\u0000b\r\nGET k\r\nECHO \"x\\ty\"\r\n");
        RequestArgs args = new RequestArgs();
        int next = decoder.decodeRequest(input, 0, input.length, true, args);
        assertThat(args.size()).isEqualTo(3);
        assertThat(args.source(2)).isSameAs(input);
        assertThat(args.offset(2)).isEqualTo(24);
        assertThat(args.length(2)).isEqualTo(5);
        assertThat(args.argEquals(0, bytes("SET"))).isTrue();
        assertThat(args.argEquals(0, bytes("SE"))).isFalse();
        byte[] value = args.get(2);
        assertThat(value).isEqualTo(bytes("a\r\n\u0000b")).isNotSameAs(input);
        assertThat(args.get(2)).isSameAs(value); // one copy per argument, kept by whoever asked
        next = decoder.decodeRequest(input, next, input.length, true, args);
        assertThat(args).containsExactly(bytes("GET"), bytes("k"));
        assertThat(args.source(1)).isSameAs(input);
        decoder.decodeRequest(input, next, input.length, true, args);
        assertThat(args).containsExactly(bytes("ECHO"), bytes("x\ty"));
        assertThat(args.source(1)).isNotSameAs(input).isSameAs(args.get(1)); // unescaped: an array of its own
        Arrays.fill(input, (byte) '?');
        assertThat(value).isEqualTo(bytes("a\r\n\u0000b")); // a copy handed out outlives the input's bytes
        assertThatThrownBy(() -> args.get(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aPipelineOfBinaryValuesDecodesToTheSameRangesAtEverySplit() throws Exception {
        byte[] value = {'v', '\r', '\n', 0, '$', '3', '\r', '\n', '*'};
        byte[] one = RespEncoder.encodeCommand(bytes("SET"), bytes("k\r\n"), value);
        byte[] two = bytes("GET k\r\n");
        byte[] input = new byte[one.length * 2 + two.length];
        System.arraycopy(one, 0, input, 0, one.length);
        System.arraycopy(two, 0, input, one.length, two.length);
        System.arraycopy(one, 0, input, one.length + two.length, one.length);
        List<List<String>> whole = decodeRanges(input, input.length, input.length);
        assertThat(whole).hasSize(3);
        assertThat(whole.get(0)).containsExactly("SET", "k\r\n", new String(value, StandardCharsets.ISO_8859_1));
        assertThat(whole.get(1)).containsExactly("GET", "k");
        for (int k = 0; k <= input.length; k++) {
            assertThat(decodeRanges(input, k, input.length)).as("split at %d", k).isEqualTo(whole);
        }
    }

    /** Decodes with {@link RespDecoder#decodeRequest} up to {@code split}, then up to {@code end}, reading ranges. */
    private List<List<String>> decodeRanges(byte[] input, int split, int end) throws RespProtocolException {
        List<List<String>> commands = new ArrayList<>();
        RequestArgs args = new RequestArgs();
        int start = 0;
        for (int limit : new int[] {split, end}) {
            int next;
            while ((next = decoder.decodeRequest(input, start, limit, true, args)) != RespDecoder.INCOMPLETE) {
                List<String> command = new ArrayList<>();
                for (int i = 0; i < args.size(); i++) {
                    command.add(new String(args.source(i), args.offset(i), args.length(i), StandardCharsets.ISO_8859_1));
                }
                commands.add(command);
                start = next;
            }
        }
        return commands;
    }

    @Test
    void aRequestOfManyArgumentsLeavesNoLargeListOrInputBehind() throws Exception {
        byte[][] many = new byte[1000][];
        Arrays.fill(many, bytes("x"));
        byte[] input = RespEncoder.encodeCommand(many);
        RequestArgs args = new RequestArgs();
        assertThat(decoder.decodeRequest(input, 0, input.length, true, args)).isEqualTo(input.length);
        assertThat(args.size()).isEqualTo(1000);
        assertThat(args.capacity()).isGreaterThanOrEqualTo(1000);
        args.clear();
        assertThat(args.capacity()).isLessThanOrEqualTo(RequestArgs.KEPT_CAPACITY);
        assertThat(args).isEmpty();
        byte[] small = bytes("*1\r\n$4\r\nPING\r\n");
        decoder.decodeRequest(small, 0, small.length, true, args);
        args.clear();
        assertThat(args.referencesNothing()).isTrue(); // the input array is not held after clear
    }
}
