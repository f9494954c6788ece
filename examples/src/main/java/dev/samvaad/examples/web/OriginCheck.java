package dev.samvaad.examples.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Which web pages may open the voice WebSocket: browsers send the page's origin with the upgrade
 * request, so a page of another site cannot talk to (and listen through) a server on this machine.
 *
 * <p>Allowed: the server's own origin (the {@code Origin} names the same host and port as the
 * {@code Host} header), any page on this machine ({@code localhost}, {@code 127.0.0.0/8},
 * {@code [::1]}, any port), and the origins given explicitly. A request without an {@code Origin}
 * comes from a program, not a page, and is allowed; {@code Origin: null} (a file or a sandboxed
 * frame) is not.
 */
public final class OriginCheck {
    private final List<String> extra;

    /** @param allowed further origins to allow, as {@code scheme://host[:port]} (e.g. {@code http://192.168.1.5:8080}) */
    public OriginCheck(List<String> allowed) {
        List<String> normal = new ArrayList<>();
        for (String origin : Objects.requireNonNull(allowed, "allowed")) {
            String n = normalise(origin);
            if (n == null) {
                throw new IllegalArgumentException("not an origin (scheme://host[:port]): " + origin);
            }
            normal.add(n);
        }
        this.extra = List.copyOf(normal);
    }

    /** Same origin and localhost only. */
    public static OriginCheck sameOriginOrLocalhost() {
        return new OriginCheck(List.of());
    }

    /**
     * Whether a page of {@code origin} may connect to the server reached as {@code host}.
     *
     * @param origin the request's {@code Origin} header, {@code null} if absent
     * @param host   the request's {@code Host} header ({@code host[:port]}), {@code null} if absent
     */
    public boolean allows(String origin, String host) {
        return reason(origin, host) == null;
    }

    /** {@code null} if allowed, else why not, for the log. */
    public String reason(String origin, String host) {
        if (origin == null) {
            return null;
        }
        String normal = normalise(origin);
        if (normal == null) {
            return "the origin '" + origin + "' is not an http(s) page";
        }
        URI uri = URI.create(normal);
        if (isLoopback(uri.getHost())) {
            return null;
        }
        if (host != null && sameAuthority(uri, host)) {
            return null;
        }
        if (extra.contains(normal)) {
            return null;
        }
        return "the origin " + normal + " is neither this server's (" + host
                + ") nor localhost nor one given with --allow-origin";
    }

    /** {@code scheme://host:port} in lower case with the port made explicit, or {@code null} for anything else. */
    static String normalise(String origin) {
        URI uri;
        try {
            uri = new URI(origin.strip());
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
            return null;
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    private static boolean sameAuthority(URI origin, String hostHeader) {
        URI host;
        try {
            host = new URI(origin.getScheme() + "://" + hostHeader.strip());
        } catch (URISyntaxException e) {
            return false;
        }
        if (host.getHost() == null) {
            return false;
        }
        int port = host.getPort() >= 0 ? host.getPort() : "https".equals(origin.getScheme()) ? 443 : 80;
        return host.getHost().equalsIgnoreCase(origin.getHost()) && port == origin.getPort();
    }

    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
                || h.matches("127(\\.\\d{1,3}){3}");
    }
}
