package io.sockwave.runtime;

import io.sockwave.protocol.MessageBudget;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The listener calls of one session waiting to run, in order, one at a time, on an executor: the application's
 * (when callbacks run off the loop) or the loop itself (for calls held while reading is suspended). Message calls
 * wait while reading is suspended; other calls (errors, close) do not. Once the session has ended, everything held
 * runs, so that no message is lost and {@code onClose} comes last.
 *
 * <p>{@code onWritable} calls are owed apart and go ahead of held messages: an application that suspends reading
 * when its session turns unwritable resumes it in {@code onWritable}, so a writable call queued behind the messages
 * that suspension holds would never run, and the session would wedge. Only {@code onOpen} (and the task that
 * completes a client's connect) stays ahead of it.
 *
 * <p>An executor shut down with {@code shutdownNow()} hands back the task it accepted and had not started, which
 * would leave the calls held here, and their bytes in the budget (shared between connections, perhaps servers), for
 * good: once the executor is shut down, the next call due (at the latest the session's end) takes the task back and
 * runs the calls on the calling thread, as for a task refused. A submitted task is run by whoever starts it first,
 * the executor or that call, so the calls never overlap, and one still running keeps what is behind it.
 *
 * <p>A session that has ended has no call due any more: its task, waiting in an executor shut down later, would be
 * dropped for good. Such tasks are kept in a set until they start, and the next refusal by a shut-down executor
 * (any session's call, or the upgrade hook or HTTP handler the server hands it) takes them back, each run on its own
 * session's loop: the budget is whole again by the time anything needs it, without a timer looking for them.
 */
final class CallbackQueue implements Runnable {
    /** Refusals by the application's callback executor, here and in the handshake: one overload, one warning. */
    static final ThrottledLog REFUSALS = new ThrottledLog();

    private static final int BATCH = 64;
    private static final int IDLE = 0;
    private static final int SUBMITTED = 1;
    private static final int RUNNING = 2;
    /** Queues of ended sessions whose task an {@link ExecutorService} accepted and has not started. */
    private static final Set<CallbackQueue> ENDED_AND_WAITING = ConcurrentHashMap.newKeySet();

    private final WebSocketSession session;
    private final Executor executor;
    /** The server's message budget, which counts the bytes of the calls held here until they run. */
    private final MessageBudget budget;
    private final ConcurrentLinkedQueue<Callback> queue = new ConcurrentLinkedQueue<>();
    /** {@link #IDLE}, {@link #SUBMITTED} (to the executor, not started) or {@link #RUNNING}. */
    private final AtomicInteger state = new AtomicInteger();
    private final AtomicLong backlog = new AtomicLong();
    /** {@code onWritable} calls not made yet: one per return to the low watermark. */
    private final AtomicInteger writableOwed = new AtomicInteger();
    private volatile boolean ended;
    private volatile boolean aborted;

    CallbackQueue(WebSocketSession session, Executor executor, MessageBudget budget) {
        this.session = session;
        this.executor = executor;
        this.budget = budget;
    }

    /** @param callback a call to make after those already held; its bytes reserved in the budget */
    void add(Callback callback) {
        if (callback.bytes > 0) {
            backlog.addAndGet(callback.bytes);
        }
        queue.add(callback);
        schedule();
    }

    /** Owes an {@code onWritable} call, made ahead of any held message. */
    void addWritable() {
        writableOwed.incrementAndGet();
        schedule();
    }

    /** @return whether nothing is held */
    boolean isEmpty() {
        return queue.isEmpty() && writableOwed.get() == 0;
    }

    /** @return the bytes of messages held and not yet delivered */
    long backlog() {
        return backlog.get();
    }

    /**
     * The application aborted: the messages held are not delivered, the calls that end the session still are. The
     * thread that runs the calls drops them as it meets them, since it alone takes from the queue.
     */
    void dropMessages() {
        aborted = true;
        schedule();
    }

    /** The session has ended: deliver everything, suspended or not. */
    void end() {
        ended = true;
        schedule();
        trackWaiting();
    }

    /**
     * Keeps this queue among {@link #ENDED_AND_WAITING} while its session has ended and its task waits in an
     * executor service, and lets go of it otherwise. A task that starts while it is being added is found started
     * by the check that follows (or, at worst, by the take-back, which then leaves it alone).
     */
    private void trackWaiting() {
        if (ended && executor instanceof ExecutorService && state.get() == SUBMITTED) {
            ENDED_AND_WAITING.add(this);
            if (state.get() != SUBMITTED) {
                ENDED_AND_WAITING.remove(this);
            }
        } else if (ended) {
            ENDED_AND_WAITING.remove(this);
        }
    }

    /**
     * Takes back the tasks of ended sessions that an executor shut down since holds, or dropped: their calls run on
     * their sessions' loops, and give their bytes back to the budget. Called when an executor refuses a task.
     */
    static void takeBackDropped() {
        for (CallbackQueue waiting : ENDED_AND_WAITING) {
            if (waiting.executor instanceof ExecutorService service && service.isShutdown()
                    && ENDED_AND_WAITING.remove(waiting)) {
                waiting.session.onLoop(waiting);
            }
        }
    }

    /** Runs the held calls if there are any that may run now. */
    void schedule() {
        if (!isRunnable()) {
            return;
        }
        if (state.compareAndSet(IDLE, SUBMITTED)) {
            try {
                executor.execute(this);
            } catch (RejectedExecutionException e) {
                // The application shut its executor down before the session ended: the calls still run, in
                // order, on this thread, so that onClose is not lost.
                REFUSALS.warn("callback executor refused a task; running callbacks inline", null);
                run();
                takeBackDropped();
            }
        } else if (state.get() == SUBMITTED && executor instanceof ExecutorService service && service.isShutdown()) {
            // The task may have been dropped (shutdownNow) and never run: taken back, unless started meanwhile.
            run();
            takeBackDropped();
        }
    }

    private boolean isRunnable() {
        Callback head = queue.peek();
        return writableOwed.get() > 0 && !precedesWritable(head)
                || head != null && (!head.isMessage() || ended || aborted || !session.isReadingSuspended());
    }

    private static boolean precedesWritable(Callback head) {
        return head != null && (head.type == Callback.OPEN || head.type == Callback.TASK);
    }

    @Override
    public void run() {
        if (!state.compareAndSet(SUBMITTED, RUNNING)) {
            // Taken back and run by a call on another thread, or started there first: that run owns the calls.
            return;
        }
        try {
            for (int i = 0; i < BATCH; i++) {
                Callback next = queue.peek();
                if (writableOwed.get() > 0 && !precedesWritable(next)) {
                    writableOwed.decrementAndGet();
                    Callback.invoke(session, Callback.WRITABLE, null, 0, false);
                    continue;
                }
                if (next == null || next.isMessage() && !ended && !aborted && session.isReadingSuspended()) {
                    break;
                }
                queue.poll();
                if (next.bytes > 0) {
                    backlog.addAndGet(-next.bytes);
                    budget.release(next.bytes);
                }
                if (!(aborted && next.isMessage())) {
                    next.run(session);
                }
            }
        } finally {
            state.set(IDLE);
            session.backlogShrunk(backlog.get());
            schedule();
            trackWaiting();
        }
    }
}
