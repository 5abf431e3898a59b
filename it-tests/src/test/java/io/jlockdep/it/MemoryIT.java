package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.it.apps.ManyLocks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Lock instances are tracked weakly: millions of locks created and dropped fit in a small heap that does not grow. */
class MemoryIT {

    @Test
    void millionsOfLocksRunInSixtyFourMegabytesWithoutGrowth() throws Exception {
        Jvm.Result r = Jvm.withAgent(null).jvmOption("-Xmx64m").timeout(Duration.ofMinutes(4))
                .main(ManyLocks.class, "3").run();
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.stdout.contains("done true"), r::toString);
        List<Integer> used = new ArrayList<>();
        Matcher m = Pattern.compile("million \\d+ used (\\d+) MB").matcher(r.stdout);
        while (m.find()) {
            used.add(Integer.parseInt(m.group(1)));
        }
        assertEquals(3, used.size(), r::toString);
        // Each million leaves the same live locks behind (none): the heap after a collection does not grow from one
        // million to the next. Cleared registrations are dropped as new ones are made, so some are still counted.
        assertTrue(used.get(2) <= Math.max(used.get(0), used.get(1)) + 8, "heap after each million, MB: " + used);
    }
}
