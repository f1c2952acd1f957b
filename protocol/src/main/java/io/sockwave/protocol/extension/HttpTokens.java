package io.sockwave.protocol.extension;

/** The {@code token} rule of RFC 7230 §3.2.6, shared by header parsing and rendering. */
public final class HttpTokens {
    private HttpTokens() {
    }

    /**
     * @param c a character
     * @return whether it is a {@code tchar}
     */
    public static boolean isTokenChar(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /**
     * @param s a string
     * @return whether it is a non-empty token
     */
    public static boolean isToken(CharSequence s) {
        if (s.length() == 0) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
