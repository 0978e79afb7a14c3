package dev.ioloop.sample.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioloop.sample.store.StreamValue.StreamId;
import org.junit.jupiter.api.Test;

/** Stream IDs as Redis generates and orders them: unsigned, ms-seq, monotonic even when the clock is not. */
class StreamValueTests {

    private static final byte[][] FV = {{'f'}, {'v'}};

    @Test
    void autoIdsTakeTheClockOrTheLastIdPlusOne() {
        StreamValue s = new StreamValue();
        assertThat(s.nextAutoId(1000)).isEqualTo(new StreamId(1000, 0));
        s.append(s.nextAutoId(1000), FV);
        assertThat(s.nextAutoId(1000)).isEqualTo(new StreamId(1000, 1)); // same millisecond
        s.append(s.nextAutoId(1000), FV);
        assertThat(s.nextAutoId(990)).isEqualTo(new StreamId(1000, 2)); // the clock went back: still increasing
        assertThat(s.nextAutoId(1001)).isEqualTo(new StreamId(1001, 0));
        assertThat(s.length()).isEqualTo(2);
        assertThat(s.idAt(1)).isEqualTo(new StreamId(1000, 1));
        assertThat(s.fieldsAndValues(0)).isSameAs(FV);
    }

    @Test
    void idsAreUnsignedAndCarryIntoTheMilliseconds() {
        StreamValue s = new StreamValue();
        s.append(new StreamId(5, -1L), FV); // 5-18446744073709551615
        assertThat(s.lastId().toString()).isEqualTo("5-18446744073709551615");
        assertThat(s.nextAutoId(0)).isEqualTo(new StreamId(6, 0));
        assertThat(s.nextIdFor(5)).isNull(); // 5-* has no sequence left
        s.append(new StreamId(-1L, -1L), FV);
        assertThat(s.nextAutoId(Long.MAX_VALUE)).isNull();
        assertThat(new StreamId(-1L, 0).compareTo(new StreamId(1, 0))).isPositive();
    }

    @Test
    void nextIdForMillisecondsContinuesTheSequenceOrStartsAtZero() {
        StreamValue s = new StreamValue();
        assertThat(s.nextIdFor(0)).isEqualTo(new StreamId(0, 1)); // a new stream's last ID is 0-0
        s.append(new StreamId(7, 3), FV);
        assertThat(s.nextIdFor(7)).isEqualTo(new StreamId(7, 4));
        assertThat(s.nextIdFor(9)).isEqualTo(new StreamId(9, 0));
        assertThat(s.nextIdFor(6)).isEqualTo(new StreamId(6, 0)); // not above the last: XADD rejects it
    }

    @Test
    void appendRejectsIdsNotAboveTheLastAndOddPairs() {
        StreamValue s = new StreamValue();
        s.append(new StreamId(2, 2), FV);
        assertThatThrownBy(() -> s.append(new StreamId(2, 2), FV)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'id' must be greater than the last ID 2-2 (was 2-2)");
        assertThatThrownBy(() -> s.append(new StreamId(3, 0), new byte[][] {{'f'}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'fieldsAndValues'");
        assertThat(s.length()).isEqualTo(1);
    }
}
