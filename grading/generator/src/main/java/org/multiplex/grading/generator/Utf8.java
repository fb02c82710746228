package org.multiplex.grading.generator;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Decodes source files strictly, so that a file in another encoding fails instead of mangling. */
final class Utf8 {

    private Utf8() {
    }

    /**
     * Returns the text of a file's bytes.
     *
     * @param file  the file's name in messages
     * @param bytes its content
     * @return the text they encode
     * @throws MarkerException if they are not UTF-8
     */
    static String decode(String file, byte[] bytes) throws MarkerException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MarkerException(List.of(new Problem(file, 1,
                    "the file is not UTF-8, so its markers cannot be read: save it as UTF-8")));
        }
    }
}
