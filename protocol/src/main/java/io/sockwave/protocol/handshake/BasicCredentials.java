package io.sockwave.protocol.handshake;

import io.sockwave.protocol.TextEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A user name and password for HTTP's Basic scheme (RFC 7617), as an {@code Authorization} or
 * {@code Proxy-Authorization} field carries them.
 *
 * @param username the user-id; no colon, no control character (RFC 7617 §2)
 * @param password the password; no control character
 */
public record BasicCredentials(String username, String password) {
    /**
     * @param username the user-id
     * @param password the password
     * @throws IllegalArgumentException if the user name has a colon, at which the receiver would split the pair, or
     *     either part a control character: RFC 7617 §2 allows neither; or either part holds an unpaired surrogate,
     *     which has no UTF-8 form (RFC 7617 §2.1)
     * @throws NullPointerException if either part is null
     */
    public BasicCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.indexOf(':') >= 0) {
            throw new IllegalArgumentException("RFC 7617 does not allow a colon in a Basic user name: the receiver "
                    + "would split the credentials there");
        }
        if (hasControl(username) || hasControl(password)) {
            throw new IllegalArgumentException("RFC 7617 does not allow control characters in Basic credentials");
        }
        requireUtf8("user name", username);
        requireUtf8("password", password);
    }

    /**
     * @param part which part of a pair of credentials, for the message
     * @param text the part
     * @throws IllegalArgumentException if the text holds an unpaired surrogate: {@link String#getBytes} would send
     *     a {@code '?'} in its place, credentials other than those given
     */
    public static void requireUtf8(String part, String text) {
        try {
            TextEncoder.utf8Length(text);
        } catch (IllegalArgumentException e) {
            // Not the encoder's message, which names the index: a password's shape stays out of logs too.
            throw new IllegalArgumentException("the " + part + " holds an unpaired surrogate, which UTF-8 cannot"
                    + " carry: it would be sent as '?'");
        }
    }

    /**
     * @param rawUserInfo a URI's user information as written (RFC 3986 §3.2.1), {@code user:password} or
     *     {@code user}, percent-encoded; a {@code +} is a plus sign, not a space
     * @return the credentials it holds, decoded as UTF-8; the password empty when there is no colon
     * @throws IllegalArgumentException if a part decodes to what {@link BasicCredentials} refuses, holds a
     *     malformed percent-encoding, or decodes to bytes that are not UTF-8
     */
    public static BasicCredentials fromUserInfo(String rawUserInfo) {
        int colon = rawUserInfo.indexOf(':');
        String user = colon < 0 ? rawUserInfo : rawUserInfo.substring(0, colon);
        String pass = colon < 0 ? "" : rawUserInfo.substring(colon + 1);
        return new BasicCredentials(decode(user), decode(pass));
    }

    /** @return the field value: {@code Basic} and the base64 of {@code user:password} in UTF-8 (RFC 7617 §2.1) */
    public String headerValue() {
        byte[] pair = (username + ":" + password).getBytes(StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair);
    }

    /** @return the user name only: a record's default would print the password */
    @Override
    public String toString() {
        return "BasicCredentials[username=" + username + "]";
    }

    /**
     * Percent-decodes strictly: the escapes are UTF-8 bytes (RFC 3986 §2.5), and bytes that are not UTF-8 are refused
     * rather than sent as U+FFFD in someone's password. A {@code +} stays a plus sign: a space is form encoding's.
     */
    private static String decode(String part) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(part.length());
        requireUtf8("user information", part);
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c != '%') {
                int end = Character.isHighSurrogate(c) && i + 1 < part.length() ? i + 2 : i + 1;
                bytes.writeBytes(part.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
                continue;
            }
            int high = i + 2 < part.length() ? Character.digit(part.charAt(i + 1), 16) : -1;
            int low = high < 0 ? -1 : Character.digit(part.charAt(i + 2), 16);
            if (low < 0) {
                throw new IllegalArgumentException("malformed percent-encoding in the user information at " + i);
            }
            bytes.write(high << 4 | low);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(
                    "the user information is not UTF-8 once percent-decoded (RFC 3986 §2.5)", e);
        }
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }
}
