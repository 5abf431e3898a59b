package io.jlockdep.demo.service;

import io.jlockdep.demo.Deadlock;
import io.jlockdep.demo.Meeting;
import io.jlockdep.demo.Scenario;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A small HTTP service (the JDK's built-in server) whose two endpoints take two locks in opposite orders:
 * {@code /transfer} locks the balances, then the journal; {@code /audit} locks the journal, then the balances. Called
 * one after the other, every request succeeds, and jlockdep reports the inversion while the service keeps serving.
 * Called at the same time, two worker threads deadlock and both requests time out. The fix: one order for the two
 * locks in every endpoint.
 */
public final class ServiceScenario implements Scenario {
    /** No request waits longer than this for an answer, nor for the workers to reach the deadlock. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int ROUNDS_AFTER_REPORT = 3;

    @Override
    public String name() {
        return "service";
    }

    @Override
    public String description() {
        return "an HTTP service whose /transfer and /audit take two locks in opposite orders; it keeps serving";
    }

    /** Sequential calls: the audit after a transfer closes the cycle; the requests after it still succeed. */
    @Override
    public void run() throws Exception {
        try (BankService service = new BankService(opening(), Meeting.NONE)) {
            HttpClient client = HttpClient.newHttpClient();
            System.out.println("service listening on " + service.uri(""));
            call(client, transfer(service, "alice", "bob", 30), REQUEST_TIMEOUT).get();
            call(client, audit(service), REQUEST_TIMEOUT).get();
            int answered = 0;
            for (int round = 0; round < ROUNDS_AFTER_REPORT; round++) {
                call(client, transfer(service, "bob", "alice", 10), REQUEST_TIMEOUT).get();
                call(client, audit(service), REQUEST_TIMEOUT).get();
                answered += 2;
            }
            System.out.println("the service kept serving: " + answered + " more requests answered after the first audit");
        }
        System.out.println("done: service stopped");
    }

    /**
     * A transfer and an audit at the same time: each worker holds its first lock and waits for the other's. The client
     * gives up on both after {@code waitMillis}, counted from when both requests are being served (a slow start must
     * not pass for a deadlock).
     */
    @Override
    public void runIntoDeadlock(long waitMillis) throws Exception {
        BankService service = new BankService(opening(), new Meeting(2));
        HttpClient client = HttpClient.newHttpClient();
        System.out.println("service listening on " + service.uri(""));
        System.out.println("calling /transfer and /audit at the same time; the client gives up after " + waitMillis
                + " ms");
        Duration safety = REQUEST_TIMEOUT.plusMillis(waitMillis);
        CompletableFuture<String> transfer = call(client, transfer(service, "alice", "bob", 30), safety);
        CompletableFuture<String> audit = call(client, audit(service), safety);
        Deadlock.await(() -> stuckWorkers(service).size() == 2 || transfer.isDone() && audit.isDone(),
                REQUEST_TIMEOUT.toMillis());
        long deadline = System.nanoTime() + waitMillis * 1_000_000L;
        boolean transferAnswered = answeredBy(transfer, deadline);
        boolean auditAnswered = answeredBy(audit, deadline);
        Map<Thread, String> stuck = stuckWorkers(service);
        service.close();
        if (transferAnswered || auditAnswered || stuck.size() != 2) {
            throw new IllegalStateException("expected both requests to hang on two deadlocked workers; stuck: "
                    + stuck.values());
        }
        System.out.println("no answer to either request: the service's workers are deadlocked as predicted:");
        stuck.forEach((worker, path) -> System.out.println("  " + path + " on " + Deadlock.waitingFor(worker)));
        System.out.println("service stopped; the deadlocked workers are left behind");
    }

    /** The workers serving a request that are stuck, each with the path it serves. */
    private static Map<Thread, String> stuckWorkers(BankService service) {
        Map<Thread, String> workers = service.inFlight();
        workers.keySet().removeIf(t -> !Deadlock.isStuck(t));
        return workers;
    }

    private static Books opening() {
        return new Books(Map.of("alice", 100L, "bob", 100L));
    }

    private static HttpRequest.Builder transfer(BankService service, String from, String to, long amount) {
        return HttpRequest.newBuilder(service.uri("/transfer?from=" + from + "&to=" + to + "&amount=" + amount))
                .POST(HttpRequest.BodyPublishers.noBody());
    }

    private static HttpRequest.Builder audit(BankService service) {
        return HttpRequest.newBuilder(service.uri("/audit")).GET();
    }

    /** Sends the request; prints the answer line when it comes. A status other than 200 fails the future. */
    private static CompletableFuture<String> call(HttpClient client, HttpRequest.Builder request, Duration timeout) {
        HttpRequest r = request.timeout(timeout).build();
        String what = r.method() + " " + pathAndQuery(r.uri());
        return client.sendAsync(r, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            String answer = what + " -> " + response.statusCode() + " " + response.body().strip();
            if (response.statusCode() != 200) {
                throw new IllegalStateException(answer);
            }
            System.out.println(answer);
            return answer;
        });
    }

    /** Whether the call is answered by {@code deadline} (a {@link System#nanoTime()}); a timed-out call is not. */
    private static boolean answeredBy(CompletableFuture<String> call, long deadline) throws InterruptedException {
        try {
            call.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HttpTimeoutException) {
                return false;
            }
            throw new IllegalStateException("request failed", e.getCause());
        }
    }

    private static String pathAndQuery(URI uri) {
        return uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
    }
}
