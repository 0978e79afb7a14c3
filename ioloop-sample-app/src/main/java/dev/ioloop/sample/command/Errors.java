package dev.ioloop.sample.command;

/** Redis's error reply texts that several commands share (from Redis's {@code server.c} and {@code object.c}). */
final class Errors {

    static final String SYNTAX = "ERR syntax error";
    static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    static final String OUT_OF_RANGE = "ERR value is out of range";
    static final String MUST_BE_POSITIVE = "ERR value is out of range, must be positive";
    static final String NO_SUCH_KEY = "ERR no such key";
    static final String NOAUTH = "NOAUTH Authentication required.";
    /** Redis's reply to a command that may add data while the keyspace is over maxmemory. */
    static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";

    private Errors() {
    }

    static String wrongArity(String name) {
        return "ERR wrong number of arguments for '" + name + "' command";
    }

    static String invalidExpire(String name) {
        return "ERR invalid expire time in '" + name + "' command";
    }
}
