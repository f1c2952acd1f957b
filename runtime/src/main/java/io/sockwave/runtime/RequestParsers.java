package io.sockwave.runtime;

import io.sockwave.protocol.Limits;
import io.sockwave.protocol.handshake.HttpHeadParser;

/**
 * The request-head parser an event loop lends its server connections: a head that arrives whole, as most do, is
 * read and done with before the loop reads another, so a connection need not allocate a parser of its own. One
 * whose head arrives in pieces keeps the parser it took, and the next connection gets a new one. Confined to the
 * loop's thread.
 */
final class RequestParsers {
    private HttpHeadParser spare;
    private Limits spareLimits;

    /**
     * @param limits the bounds the head is read within
     * @return a parser ready for a head: the spare one if it reads within these limits, a new one otherwise
     */
    HttpHeadParser take(Limits limits) {
        if (spare == null || spareLimits != limits) {
            return HttpHeadParser.requests(limits);
        }
        HttpHeadParser parser = spare;
        spare = null;
        return parser;
    }

    /**
     * @param parser a parser from {@link #take} whose request nothing uses any more, since the next head read
     *     empties its header fields
     * @param limits the limits it was taken with
     */
    void giveBack(HttpHeadParser parser, Limits limits) {
        parser.reset();
        spare = parser;
        spareLimits = limits;
    }
}
