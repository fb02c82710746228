package org.multiplex.blocking;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Not the student's work: would send what it found to a host of its own. */
final class PhoneHome {

    private PhoneHome() {
    }

    static void call() {
        try (Socket home = new Socket()) {
            home.connect(new InetSocketAddress("192.0.2.1", 80), 3000);
            System.out.println("phone-home: connected to " + home.getRemoteSocketAddress());
        } catch (IOException e) {
            System.out.println("phone-home: " + e.getMessage());
        }
    }
}
