package dev.ioloop;

/**
 * The loop as its backend sees it ({@link IOLoopBackend.Context}): reports go to the loop's list of
 * ready channels, {@code runOnce} to its lifecycle.
 *
 * <p>Threading: as {@link IOLoopBackend.Context} states for each method.
 */
final class BackendContext implements IOLoopBackend.Context {

    private final IOLoop loop;
    private final LoopRunner runner;

    BackendContext(IOLoop loop, LoopRunner runner) {
        this.loop = loop;
        this.runner = runner;
    }

    @Override
    public String loopName() {
        return loop.name();
    }

    @Override
    public LoopClock clock() {
        return runner.clock();
    }

    @Override
    public boolean inLoopThread() {
        return runner.inIteration();
    }

    @Override
    public void ready(Object attachment, int events) {
        runner.ready().add(attachment, events);
    }

    @Override
    public void invalidated(Object attachment) {
        runner.ready().add(attachment, ReadyChannels.INVALIDATED);
    }

    @Override
    public void runOnce() {
        loop.lifecycle().runOnce();
    }
}
