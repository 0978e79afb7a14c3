package dev.ioloop.netty;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.ioloop.test.IOLoopTest;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/** {@link NettyFutures}: value, failure and cancellation both ways, listeners on the right executor. */
@IOLoopTest(makeCurrent = false)
class NettyFuturesTests {

    private static final long WAIT_SECONDS = 30;

    private final DefaultEventLoop executor = new DefaultEventLoop();

    @AfterEach
    void shutDown() {
        executor.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void aNettyValueCompletesTheCompletableFutureOnTheNotifyingThread() throws Exception {
        Promise<String> promise = executor.newPromise();
        CompletableFuture<String> future = NettyFutures.toCompletableFuture(promise);
        CompletableFuture<Boolean> completedBeforeTheNextListener = new CompletableFuture<>();
        promise.addListener(done -> completedBeforeTheNextListener.complete(future.isDone() && executor.inEventLoop()));
        assertThat(future).isNotDone();
        executor.execute(() -> promise.setSuccess("value"));
        assertThat(future.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("value");
        assertThat(completedBeforeTheNextListener.get(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aDoneNettyFutureConvertsAtOnceAndVoidFuturesCompleteWithNull() {
        assertThat(NettyFutures.toCompletableFuture(executor.newSucceededFuture("done"))).isCompletedWithValue("done");
        Promise<Void> done = executor.newPromise();
        done.setSuccess(null);
        assertThat(NettyFutures.toCompletableFuture(done)).isCompletedWithValue(null);
    }

    @Test
    void aNettyFailureFailsTheCompletableFutureWithTheCauseItself() {
        IOException cause = new IOException("connection refused");
        CompletableFuture<Object> future = NettyFutures.toCompletableFuture(executor.newFailedFuture(cause));
        assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(WAIT_SECONDS, TimeUnit.SECONDS))
                .havingCause().isSameAs(cause);
    }

    @Test
    void cancellationCrossesInBothDirectionsFromNetty() throws Exception {
        Promise<String> cancelledInNetty = executor.newPromise();
        CompletableFuture<String> seesIt = NettyFutures.toCompletableFuture(cancelledInNetty);
        cancelledInNetty.cancel(false); // its listeners, ours too, run on the executor
        assertThatExceptionOfType(CancellationException.class).isThrownBy(() -> seesIt.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertThat(seesIt).isCancelled();

        Promise<String> cancelledInJava = executor.newPromise();
        CompletableFuture<String> cancels = NettyFutures.toCompletableFuture(cancelledInJava);
        assertThat(cancels.cancel(false)).isTrue();
        assertThat(cancelledInJava.isCancelled()).isTrue();

        Promise<String> completedFirst = executor.newPromise();
        CompletableFuture<String> tooLate = NettyFutures.toCompletableFuture(completedFirst);
        completedFirst.setSuccess("first");
        assertThat(tooLate.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(tooLate.cancel(false)).isFalse();
        assertThat(completedFirst.isSuccess()).isTrue();
    }

    @Test
    void aStageValueCompletesTheNettyFutureAndItsListenersRunOnTheExecutor() throws Exception {
        CompletableFuture<String> stage = new CompletableFuture<>();
        Future<String> future = NettyFutures.toNettyFuture(stage, executor);
        CompletableFuture<Object[]> listener = new CompletableFuture<>();
        future.addListener(done -> listener.complete(new Object[] {done.getNow(), executor.inEventLoop()}));
        assertThat(future.isDone()).isFalse();
        stage.complete("value"); // on the test thread: the listener still runs on the executor
        assertThat(listener.get(WAIT_SECONDS, TimeUnit.SECONDS)).containsExactly("value", true);
    }

    @Test
    void aStageFailureFailsTheNettyFutureWithTheUnwrappedCause() throws Exception {
        IllegalStateException cause = new IllegalStateException("bad state");
        CompletionStage<String> dependent = CompletableFuture.<String>failedFuture(cause).thenApply(value -> value);
        Future<String> future = NettyFutures.toNettyFuture(dependent, executor);
        assertThat(future.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(future.cause()).isSameAs(cause);

        CompletableFuture<String> wrapped = new CompletableFuture<>();
        wrapped.completeExceptionally(new CompletionException(cause));
        Future<String> fromWrapped = NettyFutures.toNettyFuture(wrapped, executor);
        assertThat(fromWrapped.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(fromWrapped.cause()).isSameAs(cause);
    }

    @Test
    void cancellationCrossesInBothDirectionsFromJava() throws Exception {
        CompletableFuture<String> cancelledStage = new CompletableFuture<>();
        Future<String> seesIt = NettyFutures.toNettyFuture(cancelledStage, executor);
        cancelledStage.cancel(false);
        assertThat(seesIt.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(seesIt.isCancelled()).isTrue();

        CompletableFuture<String> stage = new CompletableFuture<>();
        Future<String> cancels = NettyFutures.toNettyFuture(stage, executor);
        assertThat(cancels.cancel(false)).isTrue();
        assertThatExceptionOfType(CancellationException.class).isThrownBy(stage::join);
    }

    @Test
    void badArgumentsAreRejectedNamingTheProblem() {
        assertThatNullPointerException().isThrownBy(() -> NettyFutures.toCompletableFuture(null)).withMessage("future");
        assertThatNullPointerException().isThrownBy(() -> NettyFutures.toNettyFuture(null, executor)).withMessage("stage");
        assertThatNullPointerException().isThrownBy(() -> NettyFutures.toNettyFuture(new CompletableFuture<>(), null))
                .withMessage("executor");
        DefaultEventLoop stopped = new DefaultEventLoop();
        stopped.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThatIllegalArgumentException().isThrownBy(() -> NettyFutures.toNettyFuture(new CompletableFuture<>(), stopped))
                .withMessageContaining("shut down").withMessageContaining("running EventExecutor");
    }
}
