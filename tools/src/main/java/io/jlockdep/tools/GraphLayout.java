package io.jlockdep.tools;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A layered drawing of a directed graph, top to bottom, in the usual steps: cycles broken by turning back edges
 * around, layers by longest path, long edges split by dummy points, the order within layers by barycenter sweeps
 * (keeping the order with the fewest crossings), and x positions pulled toward neighbours without overlap.
 * Coordinates are in pixels; x and y are the centres of the boxes.
 */
final class GraphLayout {
    static final double NODE_HEIGHT = 36;
    private static final double LAYER_GAP = 64;
    private static final double NODE_GAP = 28;
    private static final double DUMMY_WIDTH = 12;
    static final double MARGIN = 24;
    /** Room at the right of a box for a self-loop. */
    static final double LOOP = 28;
    private static final int SWEEPS = 12;
    /** Vertices times sweeps spent on ordering at most (above a few thousand vertices). */
    private static final long SWEEP_BUDGET = 60_000;

    final double[] x;
    final double[] y;
    final double[] width;
    /** Per edge: the points it passes through, from its source box to its target box; null for a self-loop. */
    final double[][] routes;
    final double totalWidth;
    final double totalHeight;

    private GraphLayout(double[] x, double[] y, double[] width, double[][] routes, double totalWidth,
                        double totalHeight) {
        this.x = x;
        this.y = y;
        this.width = width;
        this.routes = routes;
        this.totalWidth = totalWidth;
        this.totalHeight = totalHeight;
    }

    /**
     * Lays out {@code widths.length} boxes and the edges {@code edges[i] = {from, to}} between them.
     */
    static GraphLayout of(double[] widths, int[][] edges) {
        int n = widths.length;
        boolean[] reversed = backEdges(n, edges);
        // The graph with back edges turned around is acyclic; self-loops take no part.
        List<int[]> dag = new ArrayList<>();
        for (int i = 0; i < edges.length; i++) {
            int[] e = edges[i];
            if (e[0] != e[1]) {
                dag.add(reversed[i] ? new int[] {e[1], e[0], i} : new int[] {e[0], e[1], i});
            }
        }
        int[] layer = layers(n, dag);

        // Vertices: the boxes, then one dummy per layer crossed by a long edge.
        List<Integer> vertexLayer = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            vertexLayer.add(layer[v]);
        }
        int[][] chains = new int[edges.length][];
        List<int[]> segments = new ArrayList<>();
        for (int[] e : dag) {
            int a = e[0];
            int b = e[1];
            int[] chain = new int[layer[b] - layer[a] + 1];
            chain[0] = a;
            for (int k = 1; k < chain.length - 1; k++) {
                chain[k] = vertexLayer.size();
                vertexLayer.add(layer[a] + k);
            }
            chain[chain.length - 1] = b;
            for (int k = 0; k + 1 < chain.length; k++) {
                segments.add(new int[] {chain[k], chain[k + 1]});
            }
            chains[e[2]] = chain;
        }
        int vertices = vertexLayer.size();
        int layerCount = 0;
        for (int l : vertexLayer) {
            layerCount = Math.max(layerCount, l + 1);
        }
        List<List<Integer>> up = adjacency(vertices, segments, true);
        List<List<Integer>> down = adjacency(vertices, segments, false);
        int[] layerOf = vertexLayer.stream().mapToInt(Integer::intValue).toArray();
        int[][] order = order(layerOf, layerCount, up, down, segments);

        double[] w = new double[vertices];
        for (int v = 0; v < vertices; v++) {
            w[v] = v < n ? widths[v] : DUMMY_WIDTH;
        }
        double[] xs = positions(order, w, up, down);
        double[] ys = new double[vertices];
        for (int v = 0; v < vertices; v++) {
            ys[v] = MARGIN + NODE_HEIGHT / 2 + vertexLayer.get(v) * (NODE_HEIGHT + LAYER_GAP);
        }

        double maxX = 0;
        for (int v = 0; v < vertices; v++) {
            maxX = Math.max(maxX, xs[v] + w[v] / 2);
        }
        double[] startX = new double[edges.length];
        double[] endX = new double[edges.length];
        spreadPorts(n, chains, xs, w, startX, endX);
        double[][] routes = new double[edges.length][];
        for (int i = 0; i < edges.length; i++) {
            int[] chain = chains[i];
            if (chain == null) {
                continue;
            }
            double[] pts = new double[chain.length * 2];
            for (int k = 0; k < chain.length; k++) {
                int v = chain[k];
                double px = xs[v];
                double py = ys[v];
                if (k == 0) {
                    px = startX[i];
                    py += NODE_HEIGHT / 2;
                } else if (k == chain.length - 1) {
                    px = endX[i];
                    py -= NODE_HEIGHT / 2;
                }
                pts[2 * k] = px;
                pts[2 * k + 1] = py;
            }
            routes[i] = reversed[i] ? reversePoints(pts) : pts;
        }
        return new GraphLayout(Arrays.copyOf(xs, n), Arrays.copyOf(ys, n), Arrays.copyOf(w, n), routes,
                maxX + MARGIN + LOOP, MARGIN * 2 + layerCount * NODE_HEIGHT + Math.max(0, layerCount - 1) * LAYER_GAP);
    }

    /**
     * Where each edge leaves the bottom of its upper box and enters the top of its lower box: spread along the side
     * in the order of the other ends, so edges between the same two boxes (both directions) do not lie on each other.
     */
    private static void spreadPorts(int n, int[][] chains, double[] xs, double[] w, double[] startX, double[] endX) {
        List<List<Integer>> bottom = new ArrayList<>(n);
        List<List<Integer>> top = new ArrayList<>(n);
        for (int v = 0; v < n; v++) {
            bottom.add(new ArrayList<>(2));
            top.add(new ArrayList<>(2));
        }
        for (int i = 0; i < chains.length; i++) {
            if (chains[i] != null) {
                bottom.get(chains[i][0]).add(i);
                top.get(chains[i][chains[i].length - 1]).add(i);
            }
        }
        for (int v = 0; v < n; v++) {
            List<Integer> down = bottom.get(v);
            down.sort(Comparator.<Integer>comparingDouble(i -> xs[chains[i][1]]).thenComparingInt(i -> i));
            place(down, xs[v], w[v], startX);
            List<Integer> up = top.get(v);
            up.sort(Comparator.<Integer>comparingDouble(i -> xs[chains[i][chains[i].length - 2]])
                    .thenComparingInt(i -> i));
            place(up, xs[v], w[v], endX);
        }
    }

    private static void place(List<Integer> ports, double centre, double width, double[] at) {
        int m = ports.size();
        double step = m <= 1 ? 0 : Math.min(24, width * 0.7 / (m - 1));
        for (int k = 0; k < m; k++) {
            at[ports.get(k)] = centre + (k - (m - 1) / 2.0) * step;
        }
    }

    /** Depth-first search in node order; an edge to a node still on the search stack closes a cycle: turn it. */
    private static boolean[] backEdges(int n, int[][] edges) {
        List<List<Integer>> out = new ArrayList<>(n);
        for (int v = 0; v < n; v++) {
            out.add(new ArrayList<>());
        }
        for (int i = 0; i < edges.length; i++) {
            out.get(edges[i][0]).add(i);
        }
        boolean[] reversed = new boolean[edges.length];
        int[] state = new int[n];
        int[] next = new int[n];
        int[] stack = new int[n];
        for (int root = 0; root < n; root++) {
            if (state[root] != 0) {
                continue;
            }
            int top = 0;
            stack[top++] = root;
            state[root] = 1;
            while (top > 0) {
                int v = stack[top - 1];
                if (next[v] < out.get(v).size()) {
                    int e = out.get(v).get(next[v]++);
                    int to = edges[e][1];
                    if (to == v) {
                        continue;
                    }
                    if (state[to] == 1) {
                        reversed[e] = true;
                    } else if (state[to] == 0) {
                        state[to] = 1;
                        stack[top++] = to;
                    }
                } else {
                    state[v] = 2;
                    top--;
                }
            }
        }
        return reversed;
    }

    /** Longest-path layers, then each source moved down to just above its highest successor. */
    private static int[] layers(int n, List<int[]> dag) {
        int[] inDegree = new int[n];
        List<List<Integer>> succ = new ArrayList<>(n);
        for (int v = 0; v < n; v++) {
            succ.add(new ArrayList<>());
        }
        for (int[] e : dag) {
            succ.get(e[0]).add(e[1]);
            inDegree[e[1]]++;
        }
        int[] layer = new int[n];
        int[] topo = new int[n];
        int head = 0;
        int tail = 0;
        int[] remaining = inDegree.clone();
        for (int v = 0; v < n; v++) {
            if (remaining[v] == 0) {
                topo[tail++] = v;
            }
        }
        while (head < tail) {
            int v = topo[head++];
            for (int s : succ.get(v)) {
                layer[s] = Math.max(layer[s], layer[v] + 1);
                if (--remaining[s] == 0) {
                    topo[tail++] = s;
                }
            }
        }
        for (int i = tail - 1; i >= 0; i--) {
            int v = topo[i];
            if (inDegree[v] == 0 && !succ.get(v).isEmpty()) {
                int min = Integer.MAX_VALUE;
                for (int s : succ.get(v)) {
                    min = Math.min(min, layer[s]);
                }
                layer[v] = min - 1;
            }
        }
        return layer;
    }

    private static List<List<Integer>> adjacency(int vertices, List<int[]> segments, boolean upward) {
        List<List<Integer>> adj = new ArrayList<>(vertices);
        for (int v = 0; v < vertices; v++) {
            adj.add(new ArrayList<>(2));
        }
        for (int[] s : segments) {
            if (upward) {
                adj.get(s[1]).add(s[0]);
            } else {
                adj.get(s[0]).add(s[1]);
            }
        }
        return adj;
    }

    /** The order of the vertices in each layer: barycenter sweeps down and up, keeping the fewest crossings. */
    private static int[][] order(int[] layerOf, int layerCount, List<List<Integer>> up, List<List<Integer>> down,
                                 List<int[]> segments) {
        List<List<Integer>> layers = new ArrayList<>(layerCount);
        for (int l = 0; l < layerCount; l++) {
            layers.add(new ArrayList<>());
        }
        for (int v = 0; v < layerOf.length; v++) {
            layers.get(layerOf[v]).add(v);
        }
        int[][] order = new int[layerCount][];
        for (int l = 0; l < layerCount; l++) {
            order[l] = layers.get(l).stream().mapToInt(Integer::intValue).toArray();
        }
        double[] pos = new double[layerOf.length];
        updatePositions(order, pos);
        int[][] best = copy(order);
        long bestCrossings = crossings(segments, pos, layerOf, layerCount);
        double[] key = new double[layerOf.length];
        // Fewer sweeps for very large drawings: the later ones gain little there, and the page must come out quickly.
        int sweeps = (int) Math.max(2, Math.min(SWEEPS, SWEEP_BUDGET / Math.max(1, layerOf.length)));
        for (int sweep = 0; sweep < sweeps && bestCrossings > 0; sweep++) {
            for (int l = 1; l < layerCount; l++) {
                sortByBarycenter(order[l], up, pos, key);
            }
            for (int l = layerCount - 2; l >= 0; l--) {
                sortByBarycenter(order[l], down, pos, key);
            }
            long c = crossings(segments, pos, layerOf, layerCount);
            if (c < bestCrossings) {
                bestCrossings = c;
                best = copy(order);
            }
        }
        return best;
    }

    private static void sortByBarycenter(int[] layer, List<List<Integer>> neighbours, double[] pos, double[] key) {
        Integer[] vs = new Integer[layer.length];
        for (int i = 0; i < layer.length; i++) {
            int v = layer[i];
            vs[i] = v;
            List<Integer> adj = neighbours.get(v);
            if (adj.isEmpty()) {
                key[v] = pos[v];
            } else {
                double sum = 0;
                for (int u : adj) {
                    sum += pos[u];
                }
                key[v] = sum / adj.size();
            }
        }
        Arrays.sort(vs, Comparator.comparingDouble(v -> key[v]));
        for (int i = 0; i < layer.length; i++) {
            layer[i] = vs[i];
            pos[vs[i]] = i;
        }
    }

    private static void updatePositions(int[][] order, double[] pos) {
        for (int[] layer : order) {
            for (int i = 0; i < layer.length; i++) {
                pos[layer[i]] = i;
            }
        }
    }

    /**
     * Crossings between consecutive layers: per upper layer, segments sorted by upper then lower position; each pair
     * whose lower positions are in the other order crosses.
     */
    private static long crossings(List<int[]> segments, double[] pos, int[] layerOf, int layerCount) {
        List<List<int[]>> byLayer = new ArrayList<>(layerCount);
        for (int l = 0; l < layerCount; l++) {
            byLayer.add(new ArrayList<>());
        }
        for (int[] s : segments) {
            byLayer.get(layerOf[s[0]]).add(s);
        }
        long count = 0;
        for (List<int[]> group : byLayer) {
            group.sort(Comparator.<int[]>comparingDouble(s -> pos[s[0]]).thenComparingDouble(s -> pos[s[1]]));
            double[] lower = new double[group.size()];
            for (int i = 0; i < lower.length; i++) {
                lower[i] = pos[group.get(i)[1]];
            }
            count += inversions(lower, 0, lower.length, new double[lower.length]);
        }
        return count;
    }

    /** Pairs i < j with a[i] > a[j] in a[from, to), by merge sort (which sorts that range). */
    private static long inversions(double[] a, int from, int to, double[] tmp) {
        if (to - from < 2) {
            return 0;
        }
        int mid = (from + to) >>> 1;
        long count = inversions(a, from, mid, tmp) + inversions(a, mid, to, tmp);
        int i = from;
        int j = mid;
        int k = from;
        while (i < mid && j < to) {
            if (a[j] < a[i]) {
                count += mid - i;
                tmp[k++] = a[j++];
            } else {
                tmp[k++] = a[i++];
            }
        }
        while (i < mid) {
            tmp[k++] = a[i++];
        }
        while (j < to) {
            tmp[k++] = a[j++];
        }
        System.arraycopy(tmp, from, a, from, to - from);
        return count;
    }

    /** x centres: packed per layer, then pulled toward the mean of the neighbours above or below, without overlap. */
    private static double[] positions(int[][] order, double[] w, List<List<Integer>> up, List<List<Integer>> down) {
        double[] x = new double[w.length];
        for (int[] layer : order) {
            double at = MARGIN;
            for (int v : layer) {
                x[v] = at + w[v] / 2;
                at += w[v] + NODE_GAP;
            }
        }
        for (int pass = 0; pass < 8; pass++) {
            boolean downward = pass % 2 == 0;
            for (int k = 0; k < order.length; k++) {
                int[] layer = order[downward ? k : order.length - 1 - k];
                double[] desired = new double[layer.length];
                for (int i = 0; i < layer.length; i++) {
                    List<Integer> adj = (downward ? up : down).get(layer[i]);
                    if (adj.isEmpty()) {
                        desired[i] = x[layer[i]];
                    } else {
                        double sum = 0;
                        for (int u : adj) {
                            sum += x[u];
                        }
                        desired[i] = sum / adj.size();
                    }
                }
                place(layer, desired, w, x);
            }
        }
        double min = Double.MAX_VALUE;
        for (int v = 0; v < w.length; v++) {
            min = Math.min(min, x[v] - w[v] / 2);
        }
        for (int v = 0; v < w.length; v++) {
            x[v] += MARGIN - min;
        }
        return x;
    }

    /**
     * Puts the layer's vertices as near their desired x as the order and the gaps allow: the mean of a placement that
     * pushes right and one that pushes left, each of which keeps the gaps, so their mean keeps them too.
     */
    private static void place(int[] layer, double[] desired, double[] w, double[] x) {
        int m = layer.length;
        double[] right = new double[m];
        double[] left = new double[m];
        for (int i = 0; i < m; i++) {
            right[i] = i == 0 ? desired[i] : Math.max(desired[i], right[i - 1] + gap(w, layer[i - 1], layer[i]));
        }
        for (int i = m - 1; i >= 0; i--) {
            left[i] = i == m - 1 ? desired[i] : Math.min(desired[i], left[i + 1] - gap(w, layer[i], layer[i + 1]));
        }
        for (int i = 0; i < m; i++) {
            x[layer[i]] = (right[i] + left[i]) / 2;
        }
    }

    private static double gap(double[] w, int a, int b) {
        return (w[a] + w[b]) / 2 + NODE_GAP;
    }

    private static int[][] copy(int[][] order) {
        int[][] c = new int[order.length][];
        for (int i = 0; i < order.length; i++) {
            c[i] = order[i].clone();
        }
        return c;
    }

    private static double[] reversePoints(double[] pts) {
        double[] r = new double[pts.length];
        int k = pts.length / 2;
        for (int i = 0; i < k; i++) {
            r[2 * i] = pts[2 * (k - 1 - i)];
            r[2 * i + 1] = pts[2 * (k - 1 - i) + 1];
        }
        return r;
    }
}
