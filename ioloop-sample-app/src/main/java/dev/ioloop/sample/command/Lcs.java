package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.StringValue;
import dev.ioloop.sample.store.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]: the longest common subsequence of two strings (an
 * absent key is empty), by Redis's dynamic-programming table and backtrack, so the same subsequence and ranges as
 * Redis come out. The table has (len1+1)*(len2+1) cells and the work is proportional to it, all on the data loop:
 * Redis refuses a table of more than proto-max-bulk-len bytes (512 MiB); this server refuses more than
 * {@value #MAX_CELLS} cells (64 MiB, tens of milliseconds), answering Redis's allocation-failure error, so that one
 * command cannot hold the loop or the heap for long.
 */
final class Lcs implements Command {

    /** The largest table this server builds: 4096 x 4096 bytes of input, 64 MiB of ints. */
    static final long MAX_CELLS = 16L * 1024 * 1024;

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        Value va = ctx.store().value(Args.key(args.get(1)));
        Value vb = ctx.store().value(Args.key(args.get(2)));
        if ((va != null && !(va instanceof StringValue)) || (vb != null && !(vb instanceof StringValue))) {
            return RespFrame.error("ERR The specified keys must contain string values");
        }
        byte[] a = va == null ? new byte[0] : ((StringValue) va).bytes();
        byte[] b = vb == null ? new byte[0] : ((StringValue) vb).bytes();
        boolean getIdx = false;
        boolean getLen = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < args.size(); j++) {
            byte[] opt = args.get(j);
            if (Args.is(opt, "idx")) {
                getIdx = true;
            } else if (Args.is(opt, "len")) {
                getLen = true;
            } else if (Args.is(opt, "withmatchlen")) {
                withMatchLen = true;
            } else if (Args.is(opt, "minmatchlen") && j + 1 < args.size()) {
                minMatchLen = Math.max(0, Args.longValue(args.get(++j)));
            } else {
                return RespFrame.error(Errors.SYNTAX);
            }
        }
        if (getLen && getIdx) {
            return RespFrame.error("ERR If you want both the length and indexes, please just use IDX.");
        }
        long cells = (long) (a.length + 1) * (b.length + 1);
        if (cells * 4 > SetRange.MAX_STRING) {
            return RespFrame.error("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        }
        if (cells > MAX_CELLS) {
            return RespFrame.error("ERR Insufficient memory, failed allocating transient memory for LCS");
        }
        int alen = a.length;
        int blen = b.length;
        int w = blen + 1;
        int[] lcs = new int[(int) cells];
        for (int i = 1; i <= alen; i++) {
            for (int j = 1; j <= blen; j++) {
                lcs[i * w + j] = a[i - 1] == b[j - 1] ? lcs[(i - 1) * w + j - 1] + 1
                        : Math.max(lcs[(i - 1) * w + j], lcs[i * w + j - 1]);
            }
        }
        int length = lcs[alen * w + blen];
        if (getLen) {
            return RespFrame.integer(length);
        }
        byte[] result = new byte[length];
        List<RespFrame> matches = new ArrayList<>();
        int idx = length;
        int aStart = alen; // alen: no range open
        int aEnd = 0;
        int bStart = 0;
        int bEnd = 0;
        int i = alen;
        int j = blen;
        while (i > 0 && j > 0) {
            boolean emit = false;
            if (a[i - 1] == b[j - 1]) {
                result[idx - 1] = a[i - 1];
                if (aStart == alen) {
                    aStart = i - 1;
                    aEnd = i - 1;
                    bStart = j - 1;
                    bEnd = j - 1;
                } else if (aStart == i && bStart == j) {
                    aStart--;
                    bStart--;
                } else {
                    emit = true;
                }
                if (aStart == 0 || bStart == 0) {
                    emit = true;
                }
                idx--;
                i--;
                j--;
            } else {
                if (lcs[(i - 1) * w + j] > lcs[i * w + j - 1]) {
                    i--;
                } else {
                    j--;
                }
                if (aStart != alen) {
                    emit = true;
                }
            }
            int matchLen = aEnd - aStart + 1;
            if (emit) {
                if (getIdx && (minMatchLen == 0 || matchLen >= minMatchLen)) {
                    List<RespFrame> range = new ArrayList<>(3);
                    range.add(pair(aStart, aEnd));
                    range.add(pair(bStart, bEnd));
                    if (withMatchLen) {
                        range.add(RespFrame.integer(matchLen));
                    }
                    matches.add(new RespFrame.RespArray(range));
                }
                aStart = alen;
            }
        }
        if (getIdx) {
            return new RespFrame.RespArray(List.of(RespFrame.bulk("matches"), new RespFrame.RespArray(matches),
                    RespFrame.bulk("len"), RespFrame.integer(length)));
        }
        return RespFrame.bulk(result);
    }

    private static RespFrame pair(long start, long end) {
        return new RespFrame.RespArray(List.of(RespFrame.integer(start), RespFrame.integer(end)));
    }
}
