package dev.ioloop.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopThread;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.LoggerFactory;

/**
 * JUnit extension that gives a test a running {@link IOLoop} on its own thread ({@code test-loop}),
 * closes it afterwards (closing every channel still registered), and fails the test if anything
 * logged at WARN or ERROR while no {@link LogCapture} was open (Tornado's tests fail on
 * unexpected log output too).
 *
 * <pre>{@code
 * @ExtendWith(LoopExtension.class)
 * class EchoTests {
 *     @Test
 *     void echoes(LoopExtension.RunningLoop loop) throws Exception {
 *         String value = loop.call(() -> "on " + Thread.currentThread().getName());
 *     }
 * }
 * }</pre>
 */
public final class LoopExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LoopExtension.class);
    /** How long a test waits for the loop before failing; generous, for loaded CI machines. */
    public static final Duration WAIT = Duration.ofSeconds(30);

    @Override
    public void beforeEach(ExtensionContext context) {
        UnexpectedLogs logs = new UnexpectedLogs();
        logs.install();
        context.getStore(NAMESPACE).put(UnexpectedLogs.class, logs);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        RunningLoop loop = context.getStore(NAMESPACE).remove(RunningLoop.class, RunningLoop.class);
        if (loop != null) {
            loop.shutDown();
        }
        UnexpectedLogs logs = context.getStore(NAMESPACE).remove(UnexpectedLogs.class, UnexpectedLogs.class);
        if (logs != null) {
            logs.uninstall();
            List<ILoggingEvent> unexpected = logs.events();
            if (!unexpected.isEmpty() && context.getExecutionException().isEmpty()) {
                throw new AssertionError("unexpected WARN/ERROR log output (wrap expected logs in LogCapture): "
                        + unexpected.stream().map(e -> e.getLevel() + " " + e.getLoggerName() + ": "
                                + e.getFormattedMessage()).toList());
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RunningLoop.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(RunningLoop.class, key -> RunningLoop.start(
                IOLoop.builder().name("test-loop").makeCurrent(false).build()), RunningLoop.class);
    }

    /**
     * A loop running on its own thread for one test, with helpers to run code on it and wait.
     * Safe from any thread.
     */
    public static final class RunningLoop {
        private final IOLoopThread running;

        private RunningLoop(IOLoopThread running) {
            this.running = running;
        }

        /**
         * Starts a loop on a new daemon thread named after it and waits until it runs.
         *
         * @param loop an idle loop
         * @return the running loop
         */
        public static RunningLoop start(IOLoop loop) {
            return new RunningLoop(IOLoopThread.start(loop, loop.name(), true));
        }

        /**
         * Returns the loop.
         *
         * @return the running loop
         */
        public IOLoop loop() {
            return running.loop();
        }

        /**
         * Returns the loop's thread.
         *
         * @return the thread running the loop
         */
        public Thread thread() {
            return running.thread();
        }

        /**
         * Runs a task on the loop thread and waits for its value.
         *
         * @param task the task
         * @param <T> its value's type
         * @return its value
         * @throws Exception what the task threw
         */
        public <T> T call(Callable<T> task) throws Exception {
            CompletableFuture<T> result = new CompletableFuture<>();
            running.loop().addCallback(() -> {
                try {
                    result.complete(task.call());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
            return await(result);
        }

        /**
         * Runs a task on the loop thread and waits until it ran.
         *
         * @param task the task
         * @throws Exception what the task threw
         */
        public void run(ThrowingRunnable task) throws Exception {
            call(() -> {
                task.run();
                return null;
            });
        }

        /**
         * Waits for a stage, at most {@link #WAIT}.
         *
         * @param stage the stage
         * @param <T> its value's type
         * @return its value
         * @throws Exception its failure (unwrapped from ExecutionException), or a TimeoutException
         */
        public <T> T await(CompletionStage<T> stage) throws Exception {
            return awaitStage(stage);
        }

        /** Waits until the loop ran every callback queued before this call. */
        public void drain() throws Exception {
            run(() -> { });
        }

        /**
         * Stops the loop, waits for its thread to end and closes it with every channel still registered;
         * for tests that start a RunningLoop themselves.
         *
         * @throws InterruptedException if interrupted while waiting for the loop thread
         */
        public void close() throws InterruptedException {
            shutDown();
        }

        void shutDown() throws InterruptedException {
            if (!running.stop(WAIT)) {
                throw new AssertionError("loop thread " + running.thread().getName() + " did not end");
            }
            running.loop().close(true);
        }
    }

    /**
     * Waits for a stage, at most {@link #WAIT}.
     *
     * @param stage the stage
     * @param <T> its value's type
     * @return its value
     * @throws Exception its failure (unwrapped), or a TimeoutException
     */
    public static <T> T awaitStage(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception) {
                throw (Exception) e.getCause();
            }
            throw e;
        } catch (TimeoutException e) {
            throw new AssertionError("gave up waiting after " + WAIT, e);
        }
    }

    /** A Runnable that may throw. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        /**
         * Runs.
         *
         * @throws Exception anything
         */
        void run() throws Exception;
    }

    /** Collects WARN/ERROR events logged while no LogCapture is open. */
    private static final class UnexpectedLogs extends AppenderBase<ILoggingEvent> {
        private final List<ILoggingEvent> events = new ArrayList<>();
        private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

        void install() {
            setContext(root.getLoggerContext());
            setName("unexpected-logs");
            start();
            root.addAppender(this);
        }

        void uninstall() {
            root.detachAppender(this);
            stop();
        }

        List<ILoggingEvent> events() {
            synchronized (events) {
                return new ArrayList<>(events);
            }
        }

        @Override
        protected void append(ILoggingEvent event) {
            if (LogCapture.isWarnOrError(event) && !LogCapture.anyOpen()) {
                synchronized (events) {
                    events.add(event);
                }
            }
        }
    }
}
