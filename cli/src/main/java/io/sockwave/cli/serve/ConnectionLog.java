package io.sockwave.cli.serve;

import io.sockwave.ForwardingListener;
import io.sockwave.Listener;
import io.sockwave.Session;
import io.sockwave.protocol.CloseCode;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * Writes the one line per connection opened and per connection closed that {@code serve} prints, such as
 * {@code 12:00:01 open  127.0.0.1:53422 /chat} and {@code 12:00:09 close 127.0.0.1:53422 /chat 1000 normal closure}.
 */
final class ConnectionLog {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final PrintStream out;
    private final boolean quiet;

    /**
     * @param out where lines go
     * @param quiet true to write nothing
     */
    ConnectionLog(PrintStream out, boolean quiet) {
        this.out = out;
        this.quiet = quiet;
    }

    /** @return a listener that logs the session's opening and closing, and passes every event on to the endpoint */
    Listener around(Listener endpoint) {
        return quiet ? endpoint : new Logged(endpoint);
    }

    /** @return {@code host:port}, with brackets around an IPv6 address */
    static String address(InetSocketAddress address) {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private void line(String event, Session session, String detail) {
        out.println(LocalTime.now().format(TIME) + " " + event + " " + address(session.remoteAddress()) + " "
                + session.path() + detail);
    }

    private final class Logged extends ForwardingListener {
        Logged(Listener endpoint) {
            super(endpoint);
        }

        @Override
        public void onOpen(Session session) {
            line("open ", session, "");
            super.onOpen(session);
        }

        @Override
        public void onClose(Session session, int code, String reason) {
            line("close", session, " " + code + " " + CloseCode.describe(code)
                    + (reason.isEmpty() ? "" : ": " + reason));
            super.onClose(session, code, reason);
        }
    }
}
