package io.sockwave.protocol.handshake;

/**
 * A URL as messages and logs may show it: the password of its user information, which a proxy URL or a ws:// URI may
 * carry, is replaced by {@code ***}. Exception messages end up in logs.
 */
public final class RedactedUrl {
    private RedactedUrl() {
    }

    /**
     * @param url a URL, well-formed or not
     * @return the URL with what stands between the first {@code :} of its authority and the authority's last
     *     {@code @} replaced by {@code ***}; the URL as given when its authority has no user information with a colon
     */
    public static String of(String url) {
        int scheme = url.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        int at = url.lastIndexOf('@', end - 1);
        int colon = url.indexOf(':', start);
        if (at < start || colon < 0 || colon > at) {
            return url;
        }
        return url.substring(0, colon + 1) + "***" + url.substring(at);
    }
}
