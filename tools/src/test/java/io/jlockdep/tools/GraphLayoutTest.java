package io.jlockdep.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GraphLayoutTest {
    private static final double H = GraphLayout.NODE_HEIGHT;

    @Test
    void aChainGoesDownOneLayerPerLock() {
        GraphLayout l = GraphLayout.of(new double[] {80, 120, 60}, new int[][] {{0, 1}, {1, 2}});
        assertTrue(l.y[0] < l.y[1] && l.y[1] < l.y[2]);
        checkDrawing(l, new double[] {80, 120, 60}, new int[][] {{0, 1}, {1, 2}});
    }

    @Test
    void bothDirectionsBetweenTwoLocksAreTwoSeparateLines() {
        int[][] edges = {{0, 1}, {1, 0}};
        GraphLayout l = GraphLayout.of(new double[] {100, 100}, edges);
        checkDrawing(l, new double[] {100, 100}, edges);
        assertNotEquals(l.routes[0][0], l.routes[1][l.routes[1].length - 2], "they leave and enter at different x");
    }

    @Test
    void aSelfLoopHasNoRouteAndTheRestIsDrawn() {
        int[][] edges = {{0, 0}, {0, 1}};
        GraphLayout l = GraphLayout.of(new double[] {90, 90}, edges);
        assertNull(l.routes[0]);
        checkDrawing(l, new double[] {90, 90}, edges);
    }

    @Test
    void anEmptyGraphIsAnEmptyDrawing() {
        GraphLayout l = GraphLayout.of(new double[0], new int[0][]);
        assertEquals(0, l.x.length);
        assertTrue(l.totalHeight > 0 && l.totalWidth > 0);
    }

    @Test
    void largeGraphsWithCyclesAreDrawnWithoutOverlaps() {
        Random random = new Random(42);
        for (int n : new int[] {5, 40, 300}) {
            double[] widths = new double[n];
            for (int i = 0; i < n; i++) {
                widths[i] = 60 + random.nextInt(300);
            }
            List<int[]> edges = new ArrayList<>();
            for (int i = 0; i < n * 2; i++) {
                int a = random.nextInt(n);
                int b = random.nextInt(n);
                edges.add(new int[] {a, b});
            }
            int[][] e = edges.toArray(new int[0][]);
            checkDrawing(GraphLayout.of(widths, e), widths, e);
        }
    }

    /** Boxes inside the drawing, apart from each other in a row; every route from its source's box to its target's. */
    private static void checkDrawing(GraphLayout l, double[] widths, int[][] edges) {
        int n = widths.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            assertEquals(widths[i], l.width[i]);
            assertTrue(l.x[i] - widths[i] / 2 >= 0 && l.x[i] + widths[i] / 2 <= l.totalWidth, "inside, box " + i);
            assertTrue(l.y[i] - H / 2 >= 0 && l.y[i] + H / 2 <= l.totalHeight, "inside, box " + i);
        }
        Arrays.sort(order, (a, b) -> l.y[a] != l.y[b] ? Double.compare(l.y[a], l.y[b]) : Double.compare(l.x[a], l.x[b]));
        for (int k = 1; k < n; k++) {
            int a = order[k - 1];
            int b = order[k];
            if (l.y[a] == l.y[b]) {
                assertTrue(l.x[a] + widths[a] / 2 < l.x[b] - widths[b] / 2, "boxes " + a + " and " + b + " overlap");
            } else {
                assertTrue(l.y[b] - l.y[a] >= H, "rows apart");
            }
        }
        for (int i = 0; i < edges.length; i++) {
            double[] r = l.routes[i];
            int from = edges[i][0];
            int to = edges[i][1];
            if (from == to) {
                continue;
            }
            assertTrue(r.length >= 4 && r.length % 2 == 0);
            assertOnBorder(l, from, r[0], r[1]);
            assertOnBorder(l, to, r[r.length - 2], r[r.length - 1]);
        }
    }

    private static void assertOnBorder(GraphLayout l, int box, double x, double y) {
        assertTrue(Math.abs(Math.abs(y - l.y[box]) - H / 2) < 1e-9, "on the top or bottom of box " + box);
        assertTrue(Math.abs(x - l.x[box]) <= l.width[box] / 2, "within box " + box);
    }
}
