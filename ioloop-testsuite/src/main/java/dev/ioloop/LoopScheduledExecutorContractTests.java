package dev.ioloop;

import java.util.concurrent.ScheduledExecutorService;

import dev.ioloop.testing.BackendSuite;
import dev.ioloop.test.RunningLoop;

/**
 * The contract against {@link IOLoop#asScheduledExecutorService()} on a loop running on its own thread,
 * once per backend (it extends the executor contract, so it takes the backend hook itself rather than
 * from {@link BackendSuite}).
 */
public abstract class LoopScheduledExecutorContractTests extends ScheduledExecutorServiceContractTests {

    private RunningLoop running;

    /**
     * Returns the backend the loop under test runs on.
     *
     * @return the factory of the backend under test
     */
    protected abstract IOLoopBackend.Factory backendFactory();

    @Override
    ScheduledExecutorService createExecutor() {
        running = RunningLoop.start(IOLoop.builder().name("ses-contract").backend(backendFactory()).makeCurrent(false)
                .build());
        return running.loop().asScheduledExecutorService();
    }

    @Override
    ScheduledExecutorService anotherExecutor() {
        return running.loop().asScheduledExecutorService(); // another view of the same loop
    }

    @Override
    void destroy() throws Exception {
        // the view's shutdown left the loop running: it is ours to stop and close
        assertLoopStillRuns();
        running.close();
    }

    private void assertLoopStillRuns() throws Exception {
        String value = running.call(() -> "alive");
        if (!"alive".equals(value) || running.loop().isClosed()) {
            throw new AssertionError("shutting the view down must not stop or close the loop");
        }
    }
}
