package dev.ioloop;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The contract against the JDK's single-thread scheduled executor: the control. */
class JdkScheduledExecutorContractTests extends ScheduledExecutorServiceContractTests {

    @Override
    ScheduledExecutorService createExecutor() {
        return Executors.newSingleThreadScheduledExecutor();
    }

    @Override
    ScheduledExecutorService anotherExecutor() {
        return Executors.newSingleThreadScheduledExecutor();
    }

    @Override
    void destroy() {
        // nothing but the executor, already terminated
    }
}
