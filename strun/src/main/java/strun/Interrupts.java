package strun;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGINT (Ctrl-C) and {@code --timeout} into interrupt requests for the running program
 * ({@link Host#requestInterrupt}), which stops at its next prologue or loop back edge with a
 * Smalltalk backtrace and status 130 or 124. A program that does not get there (blocked in a
 * system call) is ended from here: at a second Ctrl-C, or two seconds after its timeout.
 */
final class Interrupts implements AutoCloseable {
    private static final long GRACE_MILLIS = 2_000;

    private final Host host;
    private final ScheduledExecutorService timer;
    private final sun.misc.Signal sigint = new sun.misc.Signal("INT");
    private final sun.misc.SignalHandler previous;

    Interrupts(Host host, double timeoutSeconds) {
        this.host = host;
        this.previous = sun.misc.Signal.handle(sigint, signal -> request(Main.INTERRUPTED, "interrupted"));
        if (timeoutSeconds > 0) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "strun-timeout");
                t.setDaemon(true);
                return t;
            });
            timer.schedule(() -> request(Main.TIMED_OUT, "timeout"), Math.round(timeoutSeconds * 1e6), TimeUnit.MICROSECONDS);
        } else {
            timer = null;
        }
    }

    private synchronized void request(int status, String what) {
        if (host.interruptPending()) { // asked before, and the program never got to take it
            halt(status, what);
            return;
        }
        host.requestInterrupt(status);
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(GRACE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (host.interruptPending()) halt(status, what);
        }, "strun-interrupt-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static void halt(int status, String what) {
        System.err.println("strun: " + what + ": the program reached no interrupt point (blocked in a system call?); no backtrace");
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }

    @Override public void close() {
        sun.misc.Signal.handle(sigint, previous);
        if (timer != null) timer.shutdownNow();
    }
}
