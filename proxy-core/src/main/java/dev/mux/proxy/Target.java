package dev.mux.proxy;

import java.util.Locale;

/** A {@code host:port} a client asked for; the host is lower-case, IPv6 without brackets. */
record Target(String host, int port) {

    Target {
        host = host.toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a CONNECT authority ({@code host:port}, {@code [v6]:port}); null when malformed.
     */
    static Target parseAuthority(String authority, int defaultPort) {
        if (authority == null || authority.isEmpty()) {
            return null;
        }
        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = authority.substring(1, close);
            if (close + 1 < authority.length()) {
                if (authority.charAt(close + 1) != ':') {
                    return null;
                }
                portText = authority.substring(close + 2);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            if (colon >= 0 && authority.indexOf(':') != colon) {
                return null;
            }
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
        }
        if (host.isEmpty() || !validHost(host)) {
            return null;
        }
        int port = defaultPort;
        if (portText != null) {
            if (portText.isEmpty() || portText.length() > 5 || !portText.chars().allMatch(Character::isDigit)) {
                return null;
            }
            port = Integer.parseInt(portText);
        }
        if (port < 1 || port > 65535) {
            return null;
        }
        return new Target(host, port);
    }

    private static boolean validHost(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == ':' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** True when a Host header value names this target (port optional when it is the default). */
    boolean matchesHostHeader(String hostHeader, int defaultPort) {
        Target other = parseAuthority(hostHeader, defaultPort);
        return other != null && other.equals(this);
    }

    /** {@code host:port}, IPv6 in brackets. */
    String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return authority();
    }
}
