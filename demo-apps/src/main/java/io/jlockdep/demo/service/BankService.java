package io.jlockdep.demo.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jlockdep.demo.Meeting;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The books behind the JDK's HTTP server, on an ephemeral port of the loopback interface:
 * {@code POST /transfer?from=a&to=b&amount=n} and {@code GET /audit}. Requests run on a pool of worker threads.
 */
final class BankService implements AutoCloseable {
    private static final int WORKERS = 4;

    private final HttpServer server;
    private final ExecutorService workers;
    /** The worker threads inside a handler now, with the path each serves. */
    private final Map<Thread, String> inFlight = new ConcurrentHashMap<>();

    BankService(Books books, Meeting meeting) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/transfer", exchange -> handle(exchange, query -> books.transfer(query.get("from"),
                query.get("to"), Long.parseLong(query.get("amount")), meeting)));
        server.createContext("/audit", exchange -> handle(exchange, query -> books.audit(meeting)));
        AtomicInteger count = new AtomicInteger();
        workers = Executors.newFixedThreadPool(WORKERS, task -> {
            Thread t = new Thread(task, "http-worker-" + count.incrementAndGet());
            t.setDaemon(true); // a deadlocked worker must not keep the JVM alive
            return t;
        });
        server.setExecutor(workers);
        server.start();
    }

    URI uri(String pathAndQuery) {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort() + pathAndQuery);
    }

    /** The worker threads serving a request now, each with the path it serves. */
    Map<Thread, String> inFlight() {
        return new HashMap<>(inFlight);
    }

    private void handle(HttpExchange exchange, Function<Map<String, String>, String> action) throws IOException {
        inFlight.put(Thread.currentThread(), exchange.getRequestURI().getPath());
        int status = 200;
        String body;
        try {
            body = action.apply(query(exchange.getRequestURI()));
        } catch (RuntimeException e) {
            status = 400;
            body = "bad request: " + e;
        } finally {
            inFlight.remove(Thread.currentThread());
        }
        byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> params = new HashMap<>();
        String raw = uri.getQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return params;
    }

    /** Stops listening at once; workers stuck in a deadlock stay stuck, but they are daemons. */
    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
