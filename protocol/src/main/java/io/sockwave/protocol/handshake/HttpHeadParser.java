package io.sockwave.protocol.handshake;

import io.sockwave.protocol.Limits;
import io.sockwave.protocol.extension.HttpTokens;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads the head of an HTTP/1.1 request or response (RFC 7230 §3): start line, header fields, blank line. Bytes
 * may arrive in any chunking, one at a time included; each is looked at a bounded number of times, so the work is
 * linear in the head's size, and the head is never buffered beyond {@link Limits#maxHandshakeBytes()}.
 *
 * <p>The grammar is applied strictly, because a lenient parser invites request smuggling through intermediaries
 * that read the head differently: lines end with CRLF only (a bare CR or LF is refused), obsolete line folding and
 * whitespace before a header's colon are refused (RFC 7230 §3.2.4), names must be tokens and values free of
 * control characters. Empty lines before a request line are skipped (RFC 7230 §3.5).
 *
 * <p>A request parser reports failures as {@link HandshakeException}s carrying the status to answer with: 414 when
 * the request line alone is larger than {@code maxHandshakeBytes} (RFC 9112 §3: its target is too long), 431 when
 * the head is larger or has more than {@code maxHandshakeHeaders} fields, 505 for a
 * well-formed HTTP version other than 1.x, and 400 for anything else malformed. HTTP/1.0 is parsed; refusing it is
 * the handshake's business. A response parser, used by a client, reports failures with status 0, since no status
 * was received. Not thread-safe; a parser reads one head at a time, and another after {@link #reset()}.
 */
public final class HttpHeadParser {
    private enum State { START_LINE, HEADERS, DONE, FAILED }

    private static final int HTTP_VERSION_LENGTH = "HTTP/1.1".length();
    private static final byte[] NO_LINE = {};
    /**
     * The line being read, shared by the parsers of one thread (an event loop reads many heads, one at a time): a
     * head that arrives whole, as most do, is read without a line buffer of its own. A parser that returns inside a
     * line keeps that part in {@link #line}, and puts it back here when more bytes come.
     */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[256]);

    private final boolean requests;
    private final int maxBytes;
    private final int maxHeaders;
    private final HttpHeaders headers = new HttpHeaders();
    private State state = State.START_LINE;
    /** {@link #SCRATCH} while parsing; between calls, the part of a line read so far, if any. */
    private byte[] line = NO_LINE;
    private int lineLength;
    private boolean afterCr;
    private int consumed;
    private long work;
    private String method;
    private String target;
    /**
     * The target and Host of the last request read, kept across {@link #reset()}: the clients of one server
     * mostly ask for the same few, and a head that repeats them is read without new Strings for them.
     */
    private String lastTarget;
    private String lastHost;
    private String version;
    private int status;
    private String reason;

    private HttpHeadParser(boolean requests, Limits limits) {
        this.requests = requests;
        this.maxBytes = limits.maxHandshakeBytes();
        this.maxHeaders = limits.maxHandshakeHeaders();
    }

    /**
     * @param limits the bounds on head size and header count
     * @return a parser for the head of one request, as a server reads it
     */
    public static HttpHeadParser requests(Limits limits) {
        return new HttpHeadParser(true, limits);
    }

    /**
     * @param limits the bounds on head size and header count
     * @return a parser for the head of one response, as a client reads it
     */
    public static HttpHeadParser responses(Limits limits) {
        return new HttpHeadParser(false, limits);
    }

    /**
     * Consumes bytes of the head. It stops right after the blank line that ends the head, so whatever follows
     * (the first WebSocket frames) stays in {@code in}.
     *
     * @param in bytes from position to limit; the position advances past those consumed
     * @return true once the head is complete, also on later calls, which consume nothing
     * @throws HandshakeException when the head is malformed or too large, as soon as the offending byte arrives
     * @throws IllegalStateException when called again after a failure
     */
    public boolean parse(ByteBuffer in) {
        if (state == State.DONE) {
            return true;
        }
        if (state == State.FAILED) {
            throw new IllegalStateException("this head was already refused");
        }
        byte[] scratch = SCRATCH.get();
        if (scratch.length < line.length) {
            scratch = new byte[line.length];
            SCRATCH.set(scratch);
        }
        System.arraycopy(line, 0, scratch, 0, lineLength);
        line = scratch;
        try {
            while (in.hasRemaining()) {
                byte b = in.get();
                work++;
                if (++consumed > maxBytes) {
                    throw tooLarge((requests ? "request" : "response")
                            + (state == State.START_LINE ? " line" : " head") + " exceeds " + maxBytes + " bytes");
                }
                if (afterCr) {
                    if (b != '\n') {
                        throw malformed("CR not followed by LF");
                    }
                    afterCr = false;
                    if (endOfLine()) {
                        return true;
                    }
                } else if (b == '\r') {
                    afterCr = true;
                } else if (b == '\n') {
                    throw malformed("line ends with a bare LF; HTTP lines end with CRLF");
                } else {
                    append(b);
                }
            }
            return false;
        } catch (HandshakeException e) {
            state = State.FAILED;
            throw e;
        } finally {
            if (line != SCRATCH.get()) {
                // The line outgrew the scratch: the larger buffer serves this thread's next heads.
                SCRATCH.set(line);
            }
            line = lineLength == 0 ? NO_LINE : Arrays.copyOf(line, lineLength);
        }
    }

    /**
     * @return the request whose head {@link #parse} completed
     * @throws IllegalStateException if this parser reads responses or the head is not complete
     */
    public HttpRequest request() {
        if (!requests || state != State.DONE) {
            throw new IllegalStateException(
                    requests ? "the request head is not complete" : "this parser reads responses");
        }
        return new HttpRequest(method, target, version, headers);
    }

    /**
     * @return the response whose head {@link #parse} completed, with an empty body
     * @throws IllegalStateException if this parser reads requests or the head is not complete
     */
    public HttpResponse response() {
        if (requests || state != State.DONE) {
            throw new IllegalStateException(
                    requests ? "this parser reads requests" : "the response head is not complete");
        }
        return new HttpResponse(status, reason, headers, null);
    }

    /**
     * Makes this parser ready to read another head, as a new one would, keeping the room its header fields took: a
     * server that reads many heads on one thread need not allocate a parser for each.
     *
     * <p>The request or response returned before shares this parser's header fields, and this empties them: call it
     * only once nothing uses that request or response any more.
     */
    public void reset() {
        state = State.START_LINE;
        line = NO_LINE;
        lineLength = 0;
        afterCr = false;
        consumed = 0;
        work = 0;
        method = null;
        target = null;
        version = null;
        status = 0;
        reason = null;
        headers.clear();
    }

    /** @return how many times a byte was looked at so far; lets tests prove the work is linear without a clock */
    long work() {
        return work;
    }

    private void append(byte b) {
        if (lineLength == line.length) {
            // The head limit bounds the line too, so the buffer never outgrows maxBytes.
            byte[] bigger = new byte[Math.max(Math.min(line.length * 2, maxBytes), lineLength + 1)];
            System.arraycopy(line, 0, bigger, 0, lineLength);
            work += lineLength;
            line = bigger;
        }
        line[lineLength++] = b;
    }

    /** @return whether the head is complete */
    private boolean endOfLine() {
        int length = lineLength;
        lineLength = 0;
        if (state == State.START_LINE) {
            if (length > 0) {
                if (requests) {
                    requestLine(length);
                } else {
                    statusLine(length);
                }
                state = State.HEADERS;
            }
            return false;
        }
        if (length == 0) {
            state = State.DONE;
            return true;
        }
        headerLine(length);
        return false;
    }

    /** RFC 7230 §3.1.1: method SP request-target SP HTTP-version. */
    private void requestLine(int length) {
        int i = 0;
        while (i < length && HttpTokens.isTokenChar(at(i))) {
            i++;
        }
        if (i == 0 || i == length || at(i) != ' ') {
            throw malformed("malformed request line: expected method, space, target, space, version");
        }
        method = text(0, i);
        int targetStart = ++i;
        while (i < length && at(i) > ' ' && at(i) < 0x7F) {
            i++;
        }
        if (i == targetStart || i == length || at(i) != ' ') {
            throw malformed("malformed request line: expected method, space, target, space, version");
        }
        target = lastTarget = recall(lastTarget, targetStart, i);
        version = version(i + 1, length);
    }

    /** RFC 7230 §3.1.2: HTTP-version SP status-code SP reason-phrase, where a missing final space is tolerated. */
    private void statusLine(int length) {
        int codeStart = HTTP_VERSION_LENGTH + 1;
        if (length < codeStart + 3 || at(HTTP_VERSION_LENGTH) != ' ') {
            throw malformed("malformed status line: expected version, space, three-digit status");
        }
        version = version(0, HTTP_VERSION_LENGTH);
        int code = 0;
        for (int i = codeStart; i < codeStart + 3; i++) {
            char c = at(i);
            if (c < '0' || c > '9') {
                throw malformed("malformed status line: the status code is not three digits");
            }
            code = code * 10 + (c - '0');
        }
        if (code < 100) {
            throw malformed("malformed status line: status " + code + " is below 100");
        }
        if (code == 101 && version.compareTo("HTTP/1.1") < 0) {
            throw malformed(version + " 101: switching protocols takes HTTP/1.1 (RFC 9110 §15.2, RFC 6455 §4.2.2)");
        }
        int reasonStart = codeStart + 3;
        if (reasonStart < length && at(reasonStart) != ' ') {
            throw malformed("malformed status line: expected a space after the status code");
        }
        reasonStart = Math.min(reasonStart + 1, length);
        for (int i = reasonStart; i < length; i++) {
            if (!HttpHeaders.isFieldValueChar(at(i))) {
                throw malformed("control character in the reason phrase");
            }
        }
        status = code;
        reason = text(reasonStart, length);
    }

    /** RFC 7230 §2.6: "HTTP/" DIGIT "." DIGIT; only major version 1 is spoken. */
    private String version(int from, int to) {
        boolean wellFormed = to - from == HTTP_VERSION_LENGTH
                && at(from) == 'H' && at(from + 1) == 'T' && at(from + 2) == 'T' && at(from + 3) == 'P'
                && at(from + 4) == '/' && isDigit(at(from + 5)) && at(from + 6) == '.' && isDigit(at(from + 7));
        if (!wellFormed) {
            throw malformed("malformed HTTP version");
        }
        String text = text(from, to);
        if (at(from + 5) != '1') {
            throw unsupportedVersion(text + " is not supported; this endpoint speaks HTTP/1.1");
        }
        return text;
    }

    /** RFC 7230 §3.2: field-name ":" OWS field-value OWS. */
    private void headerLine(int length) {
        if (at(0) == ' ' || at(0) == '\t') {
            throw malformed("obsolete line folding is not allowed (RFC 7230 §3.2.4)");
        }
        int colon = 0;
        for (; colon < length; colon++) {
            char c = at(colon);
            if (c == ':') {
                break;
            }
            if (c == ' ' || c == '\t') {
                throw malformed("whitespace between a header name and its colon (RFC 7230 §3.2.4)");
            }
            if (!HttpTokens.isTokenChar(c)) {
                throw malformed(String.format("character 0x%02X is not allowed in a header name", (int) c));
            }
        }
        if (colon == length) {
            throw malformed("header line without a colon");
        }
        if (colon == 0) {
            throw malformed("header line with an empty name");
        }
        int from = colon + 1;
        int to = length;
        while (from < to && HttpHeaders.isOws(at(from))) {
            from++;
        }
        while (to > from && HttpHeaders.isOws(at(to - 1))) {
            to--;
        }
        for (int i = from; i < to; i++) {
            if (!HttpHeaders.isFieldValueChar(at(i))) {
                throw malformed(String.format("character 0x%02X is not allowed in a header value", (int) at(i)));
            }
        }
        if (headers.size() == maxHeaders) {
            throw tooLarge("more than " + maxHeaders + " header fields");
        }
        String name = text(0, colon);
        if (name.equalsIgnoreCase("Host")) {
            headers.add(name, lastHost = recall(lastHost, from, to));
        } else {
            headers.add(name, text(from, to));
        }
    }

    private char at(int i) {
        work++;
        return (char) (line[i] & 0xFF);
    }

    private String text(int from, int to) {
        work += to - from;
        return KnownText.of(line, from, to);
    }

    /** @return {@code last} if the text from {@code from} to {@code to} is the same, else the text as a String */
    private String recall(String last, int from, int to) {
        if (last == null || last.length() != to - from) {
            return text(from, to);
        }
        for (int i = 0; i < last.length(); i++) {
            if (last.charAt(i) != at(from + i)) {
                return text(from, to);
            }
        }
        return last;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private HandshakeException malformed(String reason) {
        return requests
                ? new HandshakeException(400, reason)
                : new HandshakeException(0, "malformed response: " + reason);
    }

    /** A request line past the limit is mostly its target: 414 (RFC 9112 §3), else the head's fields: 431. */
    private HandshakeException tooLarge(String reason) {
        return new HandshakeException(requests ? state == State.START_LINE ? 414 : 431 : 0, reason);
    }

    private HandshakeException unsupportedVersion(String reason) {
        return requests ? new HandshakeException(505, reason) : malformed(reason);
    }
}
