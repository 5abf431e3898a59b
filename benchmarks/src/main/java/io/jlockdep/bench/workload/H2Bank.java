package io.jlockdep.bench.workload;

import io.jlockdep.bench.AgentCheck;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * A real multithreaded workload from a library: the H2 database engine (in memory, MVStore, row locking), four client
 * threads each on its own connection running bank transfers: read two balances, update both rows (in id order, so
 * transactions never deadlock each other), append a history row, commit. Throughput in transfers per second; H2's
 * own synchronized blocks and ReentrantLocks are what the agent tracks.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(4)
public class H2Bank {
    static final int ACCOUNTS = 10_000;

    @Benchmark
    public long transfer(Client client) throws SQLException {
        return client.transfer();
    }

    /** One in-memory database per fork, kept open by this connection. */
    @State(Scope.Benchmark)
    public static class Database {
        private static final AtomicInteger FORKS = new AtomicInteger();
        String url;
        Connection keeper;

        @Setup(Level.Trial)
        public void create() throws SQLException {
            url = "jdbc:h2:mem:bank" + FORKS.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
            keeper = DriverManager.getConnection(url);
            try (Statement st = keeper.createStatement()) {
                st.execute("CREATE TABLE account(id INT PRIMARY KEY, balance BIGINT NOT NULL)");
                st.execute("CREATE TABLE history(id BIGINT AUTO_INCREMENT PRIMARY KEY, from_id INT, to_id INT,"
                        + " amount BIGINT, at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)");
            }
            try (PreparedStatement ins = keeper.prepareStatement("INSERT INTO account VALUES (?, ?)")) {
                for (int i = 0; i < ACCOUNTS; i++) {
                    ins.setInt(1, i);
                    ins.setLong(2, 1_000_000L);
                    ins.addBatch();
                }
                ins.executeBatch();
            }
            AgentCheck.expectAgentAsStarted("H2Bank");
        }

        @TearDown(Level.Trial)
        public void drop() throws SQLException {
            try (Statement st = keeper.createStatement()) {
                st.execute("SHUTDOWN");
            }
            keeper.close();
        }
    }

    @State(Scope.Thread)
    public static class Client {
        private Connection connection;
        private PreparedStatement balance;
        private PreparedStatement update;
        private PreparedStatement history;
        private SplittableRandom random;

        @Setup(Level.Trial)
        public void connect(Database db) throws SQLException {
            connection = DriverManager.getConnection(db.url);
            connection.setAutoCommit(false);
            balance = connection.prepareStatement("SELECT balance FROM account WHERE id = ?");
            update = connection.prepareStatement("UPDATE account SET balance = balance + ? WHERE id = ?");
            history = connection.prepareStatement("INSERT INTO history(from_id, to_id, amount) VALUES (?, ?, ?)");
            random = new SplittableRandom(Thread.currentThread().getId());
        }

        long transfer() throws SQLException {
            int from = random.nextInt(ACCOUNTS);
            int to = random.nextInt(ACCOUNTS - 1);
            if (to >= from) {
                to++;
            }
            long amount = 1 + random.nextInt(100);
            long fromBalance = read(from);
            long toBalance = read(to);
            // rows locked in id order: concurrent transfers never wait on each other in a cycle
            if (from < to) {
                add(from, -amount);
                add(to, amount);
            } else {
                add(to, amount);
                add(from, -amount);
            }
            history.setInt(1, from);
            history.setInt(2, to);
            history.setLong(3, amount);
            history.executeUpdate();
            connection.commit();
            return fromBalance + toBalance;
        }

        private long read(int id) throws SQLException {
            balance.setInt(1, id);
            try (ResultSet rs = balance.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }

        private void add(int id, long amount) throws SQLException {
            update.setLong(1, amount);
            update.setInt(2, id);
            update.executeUpdate();
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            connection.close();
        }
    }
}
