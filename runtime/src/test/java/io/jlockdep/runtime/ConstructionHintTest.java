package io.jlockdep.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.lockclass.LockClass;
import io.jlockdep.runtime.lockclass.LockClasses;
import io.jlockdep.runtime.lockclass.Sites;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code allocating} hint the agent puts before the constructor call of a {@code new} of a class outside the JDK:
 * an object of a class that locks itself gets from it the class a stack walk from its constructor would give, without
 * the walk; a hint that does not belong to the object constructed next is never applied. Driven through {@link Hooks}
 * the way rewritten code calls it (the classes below make the calls the agent inserts into their constructors).
 */
class ConstructionHintTest {
    private static final String TEST = "io/jlockdep/runtime/ConstructionHintTest";
    private static final String FILE = "ConstructionHintTest.java";
    private final List<Finding> findings = new ArrayList<>();

    static {
        // What the agent tells the runtime when it rewrites these classes' constructors to report each object.
        LockClasses.locksItself(TEST + "$Account");
        LockClasses.locksItself(TEST + "$Ledger");
    }

    @BeforeEach
    void start() {
        Engine.start(Config.defaults(), findings::add);
        Engine.reset();
    }

    @AfterEach
    void stop() {
        Engine.stop();
    }

    /** Throws from its constructor when asked, before any subclass's constructor body runs. */
    static class Base {
        Base(boolean fail) {
            if (fail) {
                throw new IllegalStateException("refused");
            }
        }
    }

    /** Locks itself: marked after its super(...) call and reported before it returns, as the agent rewrites it. */
    static class Account extends Base {
        Account() {
            this(false, null);
        }

        Account(boolean fail, Runnable body) {
            super(fail);
            Hooks.constructing(this);
            if (body != null) {
                body.run();
            }
            Hooks.constructed(this);
        }

        synchronized void touch() {
        }
    }

    /** Does not lock itself; its objects are classed by its superclass's reports. */
    static class Savings extends Account {
    }

    /** Another class that locks itself. */
    static class Ledger {
        Ledger() {
            Hooks.constructing(this);
            Hooks.constructed(this);
        }
    }

    static class Part {
    }

    /** The line of the caller. */
    private static int lineHere() {
        return StackWalker.getInstance().walk(s -> s.skip(1).findFirst()).get().getLineNumber();
    }

    /** The site the agent registers for the hint of a {@code new type} at this method and line of this class. */
    private static int site(String type, String method, int line) {
        return Sites.allocation(TEST + '$' + type, Sites.code(TEST, method, FILE, line), null, null);
    }

    private static LockClass classOf(Object o) {
        return LockClasses.ofMonitor(o, 0);
    }

    /** An Account allocated at one line, with the agent's hint before its constructor call or without it. */
    private static Account account(boolean hinted) {
        int line = lineHere();
        if (hinted) {
            Hooks.allocating(Account.class, site("Account", "account", line + 4));
        }
        return new Account(); // line + 4
    }

    private static Savings savings(boolean hinted) {
        int line = lineHere();
        if (hinted) {
            Hooks.allocating(Savings.class, site("Savings", "savings", line + 4));
        }
        return new Savings(); // line + 4
    }

    @Test
    void anObjectClassedByTheHintHasTheClassTheWalkGives() {
        long walks = LockClasses.constructorWalks();
        long hints = LockClasses.constructorHints();
        Account walked = account(false);
        assertEquals(walks + 1, LockClasses.constructorWalks());
        Account hinted = account(true);
        assertEquals(hints + 1, LockClasses.constructorHints(), "classed by the hint");
        assertEquals(walks + 1, LockClasses.constructorWalks(), "no walk");
        assertSame(classOf(walked), classOf(hinted));
        assertTrue(classOf(hinted).name().startsWith("Account@" + FILE + ":"), classOf(hinted).name());
        assertEquals(hints + 1, Engine.stats().constructorHints(), "in the statistics");
    }

    @Test
    void aSubclassOfAClassThatLocksItselfIsHintedByItsOwnType() {
        Savings walked = savings(false);
        long walks = LockClasses.constructorWalks();
        Savings hinted = savings(true);
        assertEquals(walks, LockClasses.constructorWalks(), "no walk");
        assertSame(classOf(walked), classOf(hinted));
        assertTrue(classOf(hinted).name().startsWith("Savings@" + FILE + ":"), classOf(hinted).name());
    }

    @Test
    void aTypeThatDoesNotLockItselfLeavesNoHint() {
        Hooks.allocating(Part.class, site("Part", "parts", 70));
        assertEquals(0, ThreadState.current().pendingAllocation);
        assertNull(ThreadState.current().pendingAllocationType);
    }

    @Test
    void aHintInsideTheTypesOwnConstructorsIsNotTaken() {
        // The walk looks past the constructors of the object's own chain, to their caller: the hint's site would differ.
        int inOwnConstructor = Sites.allocation(TEST + "$Account", Sites.code(TEST + "$Base", "<init>", FILE, 71), null,
                null);
        Hooks.allocating(Account.class, inOwnConstructor);
        assertEquals(0, ThreadState.current().pendingAllocation);
    }

    @Test
    void nestedConstructionsEachTakeTheirOwnHint() {
        long walks = LockClasses.constructorWalks();
        int ledgerSite = site("Ledger", "nested", 80);
        int accountSite = site("Account", "nested", 81);
        Ledger[] inner = new Ledger[1];
        // The account's constructor allocates a ledger after its mark: the ledger's hint replaces the account's
        // pending one, which the account's mark kept.
        Hooks.allocating(Account.class, accountSite);
        Account outer = new Account(false, () -> {
            Hooks.allocating(Ledger.class, ledgerSite);
            inner[0] = new Ledger();
        });
        assertEquals(walks, LockClasses.constructorWalks(), "no walk");
        assertEquals("Account@" + FILE + ":81", classOf(outer).name());
        assertEquals("Ledger@" + FILE + ":80", classOf(inner[0]).name());
    }

    @Test
    void aHintLeftByAConstructorThatThrewIsNeverApplied() throws Exception {
        int stale = site("Account", "elsewhere", 90);
        Hooks.allocating(Account.class, stale);
        assertThrows(IllegalStateException.class, () -> new Account(true, null));
        // The next object constructed is another type's: the hint goes.
        Ledger ledger = new Ledger();
        assertNotEquals("Ledger@" + FILE + ":90", classOf(ledger).name());
        Account reflective = Account.class.getDeclaredConstructor().newInstance();
        assertNotEquals("Account@" + FILE + ":90", classOf(reflective).name(), "walked, not the stale hint");
        assertEquals(0, ThreadState.current().pendingAllocation);
    }

    @Test
    void aHintForAnotherTypeIsIgnoredAndTheObjectWalked() {
        long walks = LockClasses.constructorWalks();
        Hooks.allocating(Savings.class, site("Savings", "mismatch", 95));
        Ledger ledger = new Ledger();
        assertEquals(walks + 1, LockClasses.constructorWalks(), "walked");
        assertNotEquals("Ledger@" + FILE + ":95", classOf(ledger).name());
        assertNotEquals("Savings@" + FILE + ":95", classOf(ledger).name());
        assertEquals(0, ThreadState.current().pendingAllocation, "cleared");
    }
}
