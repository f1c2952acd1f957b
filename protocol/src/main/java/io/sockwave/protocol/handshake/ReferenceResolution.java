package io.sockwave.protocol.handshake;

import java.net.URI;

/**
 * Resolves a URI reference against a base URI as RFC 3986 §5.2 does, on the raw (percent-encoded) components: what
 * a client follows a redirect's {@code Location} to. {@link URI#resolve} and {@link URI#normalize} differ from it in
 * ways that change the resource: they fold empty segments ({@code /a//b} into {@code /a/b}) and keep a {@code ..}
 * that climbs above the root ({@code /../c}).
 */
public final class ReferenceResolution {
    private ReferenceResolution() {
    }

    /**
     * @param base an absolute, hierarchical URI
     * @param reference a URI reference, absolute or relative (RFC 3986 §4.1)
     * @return the target URI (§5.2.2), without the reference's fragment, which no request carries
     * @throws IllegalArgumentException if the result is not a valid URI
     */
    public static URI resolve(URI base, URI reference) {
        if (reference.isOpaque()) {
            return reference;
        }
        String referencePath = reference.getRawPath() == null ? "" : reference.getRawPath();
        String scheme = reference.getScheme() != null ? reference.getScheme() : base.getScheme();
        String authority;
        String path;
        String query = reference.getRawQuery();
        if (reference.getScheme() != null || reference.getRawAuthority() != null) {
            authority = reference.getRawAuthority();
            path = removeDotSegments(referencePath);
        } else {
            authority = base.getRawAuthority();
            if (referencePath.isEmpty()) {
                path = base.getRawPath();
                query = query != null ? query : base.getRawQuery();
            } else if (referencePath.startsWith("/")) {
                path = removeDotSegments(referencePath);
            } else {
                path = removeDotSegments(merge(base, referencePath));
            }
        }
        StringBuilder target = new StringBuilder(scheme).append(':');
        if (authority != null) {
            target.append("//").append(authority);
        }
        target.append(path == null ? "" : path);
        if (query != null) {
            target.append('?').append(query);
        }
        return URI.create(target.toString());
    }

    /** RFC 3986 §5.2.3: the base's path up to its last slash, then the reference's. */
    private static String merge(URI base, String referencePath) {
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        if (base.getRawAuthority() != null && basePath.isEmpty()) {
            return "/" + referencePath;
        }
        return basePath.substring(0, basePath.lastIndexOf('/') + 1) + referencePath;
    }

    /** RFC 3986 §5.2.4: drops "." and ".." segments, a ".." with the segment before it; keeps empty segments. */
    static String removeDotSegments(String path) {
        StringBuilder out = new StringBuilder(path.length());
        String in = path;
        while (!in.isEmpty()) {
            if (in.startsWith("../")) {
                in = in.substring(3);
            } else if (in.startsWith("./") || in.startsWith("/./")) {
                in = in.substring(2);
            } else if (in.equals("/.")) {
                in = "/";
            } else if (in.startsWith("/../") || in.equals("/..")) {
                in = in.length() == 3 ? "/" : in.substring(3);
                out.setLength(Math.max(0, out.lastIndexOf("/")));
            } else if (in.equals(".") || in.equals("..")) {
                in = "";
            } else {
                int end = in.indexOf('/', in.charAt(0) == '/' ? 1 : 0);
                end = end < 0 ? in.length() : end;
                out.append(in, 0, end);
                in = in.substring(end);
            }
        }
        return out.toString();
    }
}
