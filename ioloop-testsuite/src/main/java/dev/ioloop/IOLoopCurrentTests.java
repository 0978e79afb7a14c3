package dev.ioloop;

import dev.ioloop.testing.BackendSuite;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletableFuture;

import com.sun.management.UnixOperatingSystemMXBean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

public abstract class IOLoopCurrentTests extends BackendSuite {

    @BeforeEach
    @AfterEach
    void clear() {
        IOLoop.clearCurrent();
        IOLoop.clearInstance();
    }

    @Test
    void theDefaultConstructorBecomesCurrentOnlyIfTheThreadHasNone() {
        try (IOLoop first = new IOLoop(); IOLoop second = new IOLoop()) {
            assertThat(IOLoop.current(false)).isSameAs(first);
            assertThat(second).isNotSameAs(first);
        }
    }

    @Test
    void makeCurrentTrueBecomesCurrentAndFailsIfTheThreadHasOne() {
        try (IOLoop loop = new IOLoop(true)) {
            assertThat(IOLoop.current()).isSameAs(loop);
            assertThatIllegalStateException().isThrownBy(() -> new IOLoop(true))
                    .withMessageContaining("already has a current IOLoop").withMessageContaining("clearCurrent()");
            assertThat(IOLoop.current()).isSameAs(loop);
        }
    }

    @Test
    void aRefusedMakeCurrentConstructorOpensNoSelector() {
        assumeTrue(ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean,
                "open file descriptors are countable on Unix only");
        UnixOperatingSystemMXBean os = (UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (IOLoop loop = new IOLoop(true)) {
            long before = os.getOpenFileDescriptorCount();
            for (int i = 0; i < 200; i++) {
                assertThatIllegalStateException().isThrownBy(() -> new IOLoop(true));
            }
            // a Selector holds at least one descriptor (epoll/kqueue) and is never closed by GC:
            // 200 leaked ones would show as hundreds; allow for unrelated threads of the JVM
            assertThat(os.getOpenFileDescriptorCount() - before).isLessThan(100);
        }
    }

    @Test
    void makeCurrentFalseNeverBecomesCurrent() {
        try (IOLoop loop = new IOLoop(false)) {
            assertThat(IOLoop.current(false)).isNull();
            loop.makeCurrent();
            assertThat(IOLoop.current(false)).isSameAs(loop);
            IOLoop.clearCurrent();
            assertThat(IOLoop.current(false)).isNull();
        }
    }

    @Test
    void currentFallsBackToTheInstance() {
        assertThat(IOLoop.initialized()).isFalse();
        IOLoop instance = IOLoop.current();
        assertThat(IOLoop.initialized()).isTrue();
        assertThat(IOLoop.instance()).isSameAs(instance);
        assertThat(IOLoop.current(true)).isSameAs(instance);
        assertThat(IOLoop.current(false)).isNull(); // the instance does not become current
        instance.close();
        assertThat(IOLoop.initialized()).isFalse(); // closing the instance uninstalls it
    }

    @Test
    void installMakesALoopTheInstanceAndRefusesASecond() {
        try (IOLoop loop = new IOLoop(false); IOLoop other = new IOLoop(false)) {
            loop.install();
            loop.install(); // idempotent for the same loop
            assertThat(IOLoop.instance()).isSameAs(loop);
            assertThatIllegalStateException().isThrownBy(other::install)
                    .withMessageContaining("already installed").withMessageContaining("clearInstance()");
            IOLoop.clearInstance();
            assertThat(IOLoop.initialized()).isFalse();
            other.install();
            assertThat(IOLoop.instance()).isSameAs(other);
        }
    }

    @Test
    void concurrentFirstCallsOfInstanceAgreeOnOneLoop() throws Exception {
        CompletableFuture<IOLoop>[] seen = new CompletableFuture[8];
        Thread[] threads = new Thread[8];
        for (int i = 0; i < threads.length; i++) {
            CompletableFuture<IOLoop> result = new CompletableFuture<>();
            seen[i] = result;
            threads[i] = new Thread(() -> result.complete(IOLoop.instance()));
        }
        for (Thread thread : threads) {
            thread.start();
        }
        IOLoop first = seen[0].get();
        for (CompletableFuture<IOLoop> result : seen) {
            assertThat(result.get()).isSameAs(first);
        }
        first.close();
    }

    @Test
    void startMakesTheLoopCurrentAndRestoresThePreviousOne() throws Exception {
        try (IOLoop outer = new IOLoop(true); IOLoop inner = new IOLoop(false)) {
            IOLoop seen = inner.runSync(() -> CompletableFuture.completedFuture(IOLoop.current()));
            assertThat(seen).isSameAs(inner);
            assertThat(IOLoop.current()).isSameAs(outer);
        }
    }

    @Test
    void aClosedLoopCannotBeMadeCurrentOrInstalled() {
        IOLoop loop = new IOLoop(false);
        loop.close();
        assertThatIllegalStateException().isThrownBy(loop::makeCurrent).withMessageContaining("closed");
        assertThatIllegalStateException().isThrownBy(loop::install).withMessageContaining("closed");
    }

    @Test
    void closingTheCurrentLoopClearsIt() {
        IOLoop loop = new IOLoop(true);
        loop.close();
        assertThat(IOLoop.current(false)).isNull();
    }

    @Test
    void uninstallClearsOnlyThisLoopAndInstalledNeverCreatesOne() {
        assertThat(IOLoop.installed()).isNull();
        assertThat(IOLoop.initialized()).isFalse(); // installed() created nothing
        try (IOLoop loop = new IOLoop(false); IOLoop other = new IOLoop(false)) {
            other.install();
            assertThat(loop.uninstall()).isFalse();
            assertThat(IOLoop.installed()).isSameAs(other);
            assertThat(other.uninstall()).isTrue();
            assertThat(IOLoop.installed()).isNull();
        }
    }
}
