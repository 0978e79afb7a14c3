package dev.ioloop.test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import dev.ioloop.IOLoop;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit extension behind {@link IOLoopTest}, which says what it does for each test. Use the annotation;
 * register an instance of this class yourself ({@code @RegisterExtension}) only to shape every loop it
 * builds, such as choosing a backend in a contract suite:
 *
 * <pre>{@code
 * abstract class StreamContract {
 *     @RegisterExtension
 *     final IOLoopExtension loops = IOLoopExtension.customizing(builder -> builder.backend(backend()));
 *
 *     abstract IOLoopBackend.Factory backend();
 * }
 * }</pre>
 *
 * <p>A test gets one loop: registering the extension twice (the annotation and a field) fails the test.
 */
public final class IOLoopExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(IOLoopExtension.class);

    private final Consumer<IOLoop.Builder> customizer;

    /** The extension {@link IOLoopTest} registers: loops as its attributes say. */
    public IOLoopExtension() {
        this(builder -> { });
    }

    private IOLoopExtension(Consumer<IOLoop.Builder> customizer) {
        this.customizer = customizer;
    }

    /**
     * An extension that passes each loop's builder to {@code customizer} after setting the name and clock
     * ({@link IOLoopTest}'s attributes, or their defaults without the annotation).
     *
     * @param customizer shapes the builder; runs on the test thread before each test
     * @return the extension, for a {@code @RegisterExtension} field
     */
    public static IOLoopExtension customizing(Consumer<IOLoop.Builder> customizer) {
        return new IOLoopExtension(Objects.requireNonNull(customizer, "customizer"));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (store.get(TestRun.class) != null) {
            throw new IllegalStateException("IOLoopExtension is registered twice for " + context.getDisplayName()
                    + " (@IOLoopTest and a @RegisterExtension field?): a test gets one loop, register it once");
        }
        IOLoopTest settings = settings(context);
        LogWatch.Scope logs = LogWatch.get().openScope();
        try {
            store.put(TestRun.class, TestRun.start(settings, customizer, logs));
        } catch (RuntimeException | Error e) {
            logs.close();
            throw e;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestRun run = context.getStore(NAMESPACE).remove(TestRun.class, TestRun.class);
        if (run != null) {
            run.finish();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return parameter.getDeclaringExecutable() instanceof Method
                && (type == RunningLoop.class || type == IOLoop.class || type == FakeClock.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestRun run = context.getStore(NAMESPACE).get(TestRun.class, TestRun.class);
        if (run == null) {
            throw new ParameterResolutionException("no IOLoop for " + parameter.getParameter() + ": the test's loop"
                    + " exists from before @BeforeEach methods until after @AfterEach methods, not in @BeforeAll ones");
        }
        Class<?> type = parameter.getParameter().getType();
        if (type == RunningLoop.class) {
            return run.running;
        }
        if (type == IOLoop.class) {
            return run.running.loop();
        }
        if (run.clock == null) {
            throw new ParameterResolutionException("a FakeClock parameter needs @IOLoopTest(fakeClock = true): the"
                    + " loop of " + context.getDisplayName() + " runs on the system clock");
        }
        return run.clock;
    }

    /** The nearest @IOLoopTest: on the method, its class, or an enclosing class; else the defaults. */
    private static IOLoopTest settings(ExtensionContext context) {
        for (Optional<ExtensionContext> at = Optional.of(context); at.isPresent(); at = at.get().getParent()) {
            Optional<IOLoopTest> found = AnnotationSupport.findAnnotation(at.get().getElement(), IOLoopTest.class);
            if (found.isPresent()) {
                return found.get();
            }
        }
        return Defaults.class.getAnnotation(IOLoopTest.class);
    }

    @IOLoopTest
    private static final class Defaults {
    }

    /** One test's loop, clock and log scope. */
    private static final class TestRun {
        final RunningLoop running;
        final TestIOLoop loop;
        final @Nullable FakeClock clock;
        final LogWatch.Scope logs;
        final boolean madeCurrent;
        final @Nullable IOLoop previousCurrent;

        private TestRun(RunningLoop running, TestIOLoop loop, @Nullable FakeClock clock, LogWatch.Scope logs,
                boolean madeCurrent, @Nullable IOLoop previousCurrent) {
            this.running = running;
            this.loop = loop;
            this.clock = clock;
            this.logs = logs;
            this.madeCurrent = madeCurrent;
            this.previousCurrent = previousCurrent;
        }

        static TestRun start(IOLoopTest settings, Consumer<IOLoop.Builder> customizer, LogWatch.Scope logs) {
            FakeClock clock = settings.fakeClock() ? new FakeClock() : null;
            IOLoop.Builder builder = IOLoop.builder().name(settings.name()).makeCurrent(false);
            if (clock != null) {
                builder.clock(clock);
            }
            customizer.accept(builder);
            TestIOLoop loop = new TestIOLoop(builder);
            RunningLoop running;
            try {
                running = RunningLoop.startOn(loop, clock);
            } catch (RuntimeException | Error e) {
                loop.close(true);
                throw e;
            }
            IOLoop previous = IOLoop.current(false);
            if (settings.makeCurrent()) {
                loop.makeCurrent();
            }
            return new TestRun(running, loop, clock, logs, settings.makeCurrent(), previous);
        }

        /** Stops and closes the loop, then fails with everything the test left behind. */
        void finish() {
            List<String> problems = new ArrayList<>();
            List<Throwable> causes = new ArrayList<>();
            restoreCurrent();
            try {
                running.close();
            } catch (AssertionError e) {
                problems.add(e.getMessage());
                causes.add(e);
            } finally {
                logs.close();
            }
            Throwable death = running.death();
            if (death != null) {
                problems.add("the loop thread '" + running.thread().getName() + "' died: its start() threw " + death);
                causes.add(death);
            }
            List<Throwable> callbackErrors = new ArrayList<>();
            for (TestIOLoop.CallbackError error : loop.callbackErrors()) {
                if (!logs.expected(error.error())) {
                    problems.add(error.describe());
                    causes.add(error.error());
                    callbackErrors.add(error.error());
                }
            }
            for (CapturedLog record : logs.unexpected()) {
                if (record.throwable() == null || !callbackErrors.contains(record.throwable())) {
                    problems.add("unexpected log record: " + record);
                    if (record.throwable() != null) {
                        causes.add(record.throwable());
                    }
                }
            }
            if (!problems.isEmpty()) {
                throw failure(problems, causes);
            }
        }

        private void restoreCurrent() {
            if (!madeCurrent || IOLoop.current(false) != loop) {
                return; // the test changed it: leave the test's choice alone
            }
            if (previousCurrent != null) {
                previousCurrent.makeCurrent();
            } else {
                IOLoop.clearCurrent();
            }
        }

        private AssertionError failure(List<String> problems, List<Throwable> causes) {
            StringBuilder message = new StringBuilder("IOLoop '").append(loop.name()).append("': ");
            message.append(problems.size() == 1 ? "1 problem" : problems.size() + " problems").append(" in the test:");
            problems.forEach(problem -> message.append("\n  - ").append(problem));
            message.append("\nA test that expects a record (and, for a callback's exception, the ERROR record the loop"
                    + " logs for it) declares it with ExpectLog, e.g. ExpectLog.error(IOLoop.class, \"Exception in"
                    + " callback\").");
            AssertionError failure = new AssertionError(message.toString(), causes.isEmpty() ? null : causes.get(0));
            causes.stream().skip(1).forEach(failure::addSuppressed);
            return failure;
        }
    }
}
