package io.sockwave.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 3986 §5.4's examples of reference resolution, against its base URI, fragments left off as no request has one. */
class ReferenceResolutionTest {
    private static final URI BASE = URI.create("http://a/b/c/d;p?q");

    /** §5.4.1, normal examples. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "g:h      | g:h",
        "g        | http://a/b/c/g",
        "./g      | http://a/b/c/g",
        "g/       | http://a/b/c/g/",
        "/g       | http://a/g",
        "//g      | http://g",
        "?y       | http://a/b/c/d;p?y",
        "g?y      | http://a/b/c/g?y",
        "#s       | http://a/b/c/d;p?q",
        "g#s      | http://a/b/c/g",
        "g?y#s    | http://a/b/c/g?y",
        ";x       | http://a/b/c/;x",
        "g;x      | http://a/b/c/g;x",
        "g;x?y#s  | http://a/b/c/g;x?y",
        "''       | http://a/b/c/d;p?q",
        ".        | http://a/b/c/",
        "./       | http://a/b/c/",
        "..       | http://a/b/",
        "../      | http://a/b/",
        "../g     | http://a/b/g",
        "../..    | http://a/",
        "../../   | http://a/",
        "../../g  | http://a/g",
    })
    void section5_4_1_normalExamples(String reference, String target) {
        assertEquals(target, ReferenceResolution.resolve(BASE, URI.create(reference)).toString());
    }

    /** §5.4.2, abnormal examples: a ".." above the root is dropped; dots inside a segment or the query stay. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "../../../g     | http://a/g",
        "../../../../g  | http://a/g",
        "/./g           | http://a/g",
        "/../g          | http://a/g",
        "g.             | http://a/b/c/g.",
        ".g             | http://a/b/c/.g",
        "g..            | http://a/b/c/g..",
        "..g            | http://a/b/c/..g",
        "./../g         | http://a/b/g",
        "./g/.          | http://a/b/c/g/",
        "g/./h          | http://a/b/c/g/h",
        "g/../h         | http://a/b/c/h",
        "g;x=1/./y      | http://a/b/c/g;x=1/y",
        "g;x=1/../y     | http://a/b/c/y",
        "g?y/./x        | http://a/b/c/g?y/./x",
        "g?y/../x       | http://a/b/c/g?y/../x",
        "g#s/./x        | http://a/b/c/g",
        "http:g         | http:g",
    })
    void section5_4_2_abnormalExamples(String reference, String target) {
        assertEquals(target, ReferenceResolution.resolve(BASE, URI.create(reference)).toString());
    }

    /** §5.2.4 removes dot segments only: an empty segment is a segment, "/a//b" another resource than "/a/b". */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/a//b          | http://a/a//b",
        "x//y/./z       | http://a/b/c/x//y/z",
        "//h//p/../q    | http://h//q",
    })
    void section5_2_4_emptySegmentsAreKept(String reference, String target) {
        assertEquals(target, ReferenceResolution.resolve(BASE, URI.create(reference)).toString());
    }
}
