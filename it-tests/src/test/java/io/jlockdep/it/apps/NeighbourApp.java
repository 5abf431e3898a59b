package io.jlockdep.it.apps;

import java.util.Vector;

/**
 * Under jlockdep and {@link NeighbourAgent}: calls the Vector method and the application method the neighbour advised
 * (TwoLockOrders takes two monitors in both orders there), then prints what the advice marked.
 */
public final class NeighbourApp {
    private NeighbourApp() {
    }

    public static void main(String[] args) {
        Vector<String> first = new Vector<>();
        first.addElement("x");
        TwoLockOrders.main(new String[] {"monitor"});
        System.out.println("neighbour advice: vector " + System.getProperty("neighbour.vector") + ", app "
                + System.getProperty("neighbour.app"));
    }
}
