package org.bnlab.io;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ShortHashTest {

    @Test
    void isTheFirstEightHexDigitsOfSha256() {
        // FIPS 180-2's test vector: SHA-256("abc") = ba7816bf 8f01cfea ...
        assertEquals("ba7816bf", ShortHash.of("abc"));
        assertEquals("ba7816bf", ShortHash.of("abc".getBytes(StandardCharsets.US_ASCII)));
        // SHA-256 of nothing = e3b0c442 98fc1c14 ...
        assertEquals("e3b0c442", ShortHash.of(""));
    }
}
