package org.bnlab.data;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Produces batches {@code first .. end-1} on a background daemon thread, a few ahead of the
 * consumer, so that preparing data never holds up the training thread.
 *
 * <p>The queue is bounded (memory stays at a few batches). An exception thrown while producing is
 * handed over through the queue and rethrown by {@link #take()} on the consumer's thread. One
 * prefetcher serves one pass; {@link #close()} stops its thread, and a new pass gets a new
 * prefetcher with a new queue, so nothing from an abandoned pass can leak into the next.
 */
final class BatchPrefetcher implements AutoCloseable {

    /** What the producer hands over: a batch, or the error that stopped it. */
    private record Item(DataSet batch, Throwable error) {
    }

    private final BlockingQueue<Item> queue;
    private final Thread thread;
    private int next;
    private final int end;

    /**
     * Starts the thread at once.
     *
     * @param producer makes batch {@code i}; called on the background thread, in order
     * @param ahead    how many finished batches may wait in the queue
     */
    BatchPrefetcher(String threadName, int first, int end, IntFunction<DataSet> producer, int ahead) {
        this.queue = new ArrayBlockingQueue<>(ahead);
        this.next = first;
        this.end = end;
        // Arrays made on the background thread must live on the consumer's device (matters for CUDA).
        Integer device = Nd4j.getAffinityManager().getDeviceForCurrentThread();
        this.thread = new Thread(() -> produce(device, first, end, producer), threadName);
        thread.setDaemon(true); // never keeps the JVM alive after training ends
        thread.start();
    }

    private void produce(Integer device, int first, int end, IntFunction<DataSet> producer) {
        Nd4j.getAffinityManager().unsafeSetDevice(device);
        try {
            for (int i = first; i < end; i++) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                queue.put(new Item(producer.apply(i), null));
            }
        } catch (InterruptedException e) {
            // closed by the consumer: just stop
        } catch (Throwable t) {
            // Hand the error over. put, not offer: the queue may be full of good batches still to be
            // taken. If the consumer has gone, close() interrupts this wait.
            try {
                queue.put(new Item(null, t));
            } catch (InterruptedException closed) {
                // closed by the consumer: nobody is left to tell
            }
        }
    }

    boolean hasNext() {
        return next < end;
    }

    /** The next batch in order; blocks until it is ready, rethrows the producer's error if it failed. */
    DataSet take() {
        if (next >= end) {
            throw new java.util.NoSuchElementException("no batch " + next + ": this pass ends at " + end);
        }
        Item item;
        try {
            item = queue.poll(1, TimeUnit.SECONDS);
            while (item == null) {
                if (!thread.isAlive() && queue.isEmpty()) {
                    throw new IllegalStateException("batch thread " + thread.getName()
                            + " ended without producing batch " + next);
                }
                item = queue.poll(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for batch " + next, e);
        }
        if (item.error() != null) {
            close();
            Throwable error = item.error();
            String message = "preparing batch " + next + " failed: " + error.getMessage();
            if (error instanceof DatasetException) {
                throw new DatasetException(message, error);
            }
            throw new IllegalStateException(message + " (" + error.getClass().getSimpleName() + ")", error);
        }
        next++;
        return item.batch();
    }

    /** Stops the thread and waits for it; batches not yet taken are dropped. */
    @Override
    public void close() {
        thread.interrupt();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true; // finish waiting, then restore the caller's interrupt
            }
        }
        queue.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** For tests: the producing thread. */
    Thread thread() {
        return thread;
    }
}
