package dev.ioloop;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/** Tornado's {@code IOLoop.configure}: which backend the loops built afterwards use. */
class IOLoopConfigureTests {

    /** A factory of selector backends that remembers what it created, under a name of its own. */
    private static final class RecordingFactory implements IOLoopBackend.Factory {
        final List<IOLoopBackend> created = new CopyOnWriteArrayList<>();
        final List<String> loopNames = new CopyOnWriteArrayList<>();

        @Override
        public IOLoopBackend create(IOLoopBackend.Context context) {
            IOLoopBackend backend = IOLoopBackend.selector().create(context);
            created.add(backend);
            loopNames.add(context.loopName());
            return backend;
        }
    }

    @AfterEach
    void restoreDefault() {
        IOLoop.configure(null);
        IOLoop.clearCurrent();
        IOLoop installed = IOLoop.installed();
        if (installed != null) {
            installed.close();
        }
    }

    @Test
    void withoutConfigurationEveryLoopWaitsOnTheSelectorBackendAndSaysSo() {
        try (IOLoop loop = new IOLoop(false)) {
            assertThat(loop.backend().name()).isEqualTo("selector");
            assertThat(loop.backend().ownsThread()).isTrue();
            assertThat(loop.toString()).isEqualTo("IOLoop[" + loop.name() + ", idle, selector]");
            assertThat(loop.stats().backend()).isEqualTo("selector");
        }
        assertThat(IOLoop.configuredBackend()).isSameAs(IOLoopBackend.selector());
    }

    @Test
    void everyLoopBuiltAfterConfigureUsesTheConfiguredBackend() throws Exception {
        RecordingFactory factory = new RecordingFactory();
        IOLoop.configure(factory);
        assertThat(IOLoop.configuredBackend()).isSameAs(factory);
        IOLoop.clearInstance();
        IOLoop plain = new IOLoop();
        IOLoop.clearCurrent();
        IOLoop notCurrent = new IOLoop(false);
        IOLoop built = IOLoop.builder().name("built").makeCurrent(false).build();
        IOLoop subclass = new IOLoop(IOLoop.builder().name("subclass").makeCurrent(false)) {
        };
        IOLoop instance = IOLoop.instance();
        try (IOLoopGroup group = new IOLoopGroup("grouped", 2)) {
            List<IOLoop> loops = List.of(plain, notCurrent, built, subclass, instance, group.loops().get(0),
                    group.loops().get(1));
            assertThat(factory.created).hasSize(loops.size());
            for (int i = 0; i < loops.size(); i++) {
                assertThat(loops.get(i).backend()).as(loops.get(i).name()).isSameAs(factory.created.get(i));
            }
            assertThat(factory.loopNames).contains("built", "subclass", "instance", "grouped-1", "grouped-2");
        } finally {
            for (IOLoop loop : List.of(plain, notCurrent, built, subclass)) {
                loop.close();
            }
        }
    }

    @Test
    void aLoopKeepsTheBackendItWasBuiltWithAndConfigureNullRestoresTheDefault() {
        RecordingFactory factory = new RecordingFactory();
        IOLoop.configure(factory);
        try (IOLoop before = new IOLoop(false)) {
            IOLoop.configure(null);
            assertThat(IOLoop.configuredBackend()).isSameAs(IOLoopBackend.selector());
            try (IOLoop after = new IOLoop(false)) {
                assertThat(before.backend()).isSameAs(factory.created.get(0));
                assertThat(factory.created).hasSize(1);
                assertThat(after.backend()).isNotSameAs(before.backend());
                assertThat(after.backend().name()).isEqualTo("selector");
            }
        }
    }

    @Test
    void theBuildersBackendWinsOverTheConfiguredOne() {
        RecordingFactory configured = new RecordingFactory();
        RecordingFactory chosen = new RecordingFactory();
        IOLoop.configure(configured);
        try (IOLoop loop = IOLoop.builder().backend(chosen).makeCurrent(false).build()) {
            assertThat(chosen.created).containsExactly(loop.backend());
            assertThat(configured.created).isEmpty();
        }
        assertThatNullPointerException().isThrownBy(() -> IOLoop.builder().backend(null)).withMessage("factory");
    }

    @Test
    void aFactoryThatFailsCreatesNoLoopAndLeavesTheThreadWithoutACurrentOne() {
        IOLoop.clearCurrent();
        IOLoopBackend.Factory failing = context -> {
            throw new IllegalStateException("no event loop for " + context.loopName());
        };
        assertThatIllegalStateException().isThrownBy(() -> IOLoop.builder().name("doomed").backend(failing).build())
                .withMessage("no event loop for doomed");
        assertThat(IOLoop.current(false)).isNull();
        assertThatNullPointerException().isThrownBy(() -> IOLoop.builder().backend(context -> null).build())
                .withMessage("the backend factory returned null");
    }
}
