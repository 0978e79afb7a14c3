package dev.ioloop.sample.command;

import java.util.List;

/**
 * The arguments LMPOP and ZMPOP share, as Redis's {@code lmpopGenericCommand} and {@code zmpopGenericCommand} parse
 * them: {@code numkeys key [key ...] <end> [COUNT count]}, numkeys and count at least 1 (each with its own error),
 * COUNT at most once.
 *
 * @param firstKey the index of the first key
 * @param endIndex the index of the end word, one past the last key
 * @param first whether the end is the first of the two words (LEFT, MIN)
 * @param count how many to pop (1 unless COUNT)
 */
record MPopArgs(int firstKey, int endIndex, boolean first, long count) {

    /**
     * Parses from argument 1 on.
     *
     * @param firstWord the lower-case word for the head end ({@code left}, {@code min})
     * @param secondWord the lower-case word for the other end ({@code right}, {@code max})
     * @throws CommandException with Redis's error
     */
    static MPopArgs parse(List<byte[]> args, String firstWord, String secondWord) {
        long numKeys = Args.longValue(args.get(1), "ERR numkeys should be greater than 0");
        if (numKeys < 1) {
            throw new CommandException("ERR numkeys should be greater than 0");
        }
        if (numKeys >= args.size() - 2) {
            throw new CommandException(Errors.SYNTAX);
        }
        int endIndex = (int) numKeys + 2;
        boolean first;
        if (Args.is(args.get(endIndex), firstWord)) {
            first = true;
        } else if (Args.is(args.get(endIndex), secondWord)) {
            first = false;
        } else {
            throw new CommandException(Errors.SYNTAX);
        }
        long count = -1;
        for (int j = endIndex + 1; j < args.size(); j++) {
            if (count == -1 && Args.is(args.get(j), "count") && j + 1 < args.size()) {
                count = Args.longValue(args.get(++j), "ERR count should be greater than 0");
                if (count < 1) {
                    throw new CommandException("ERR count should be greater than 0");
                }
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        return new MPopArgs(2, endIndex, first, count == -1 ? 1 : count);
    }
}
