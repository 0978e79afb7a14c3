package dev.ioloop.test;

/** Something that watches log records while it is open: an {@link ExpectLog} or a {@link LogCapture}. */
interface LogListener {

    /**
     * Offers a record; called on the thread that logged it.
     *
     * @param record the record
     * @return whether the listener took it as expected (then no test fails for it)
     */
    boolean offer(CapturedLog record);
}
