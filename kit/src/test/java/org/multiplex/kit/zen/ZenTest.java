package org.multiplex.kit.zen;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ZenTest {

    @Test
    void answers_the_books_three_aphorisms_byte_for_byte() {
        assertThat(Zen.answer("Beautiful is better than?")).isEqualTo("Ugly.");
        assertThat(Zen.answer("Explicit is better than?")).isEqualTo("Implicit.");
        assertThat(Zen.answer("Simple is better than?")).isEqualTo("Complex.");
    }

    @Test
    void answers_anything_else_with_the_books_error() {
        assertThat(Zen.answer("Complicated is better than?")).isEqualTo("Error: unknown aphorism.");
        assertThat(Zen.answer("beautiful is better than?")).as("case matters").isEqualTo("Error: unknown aphorism.");
        assertThat(new String(Zen.answer(new byte[] {(byte) 0xff, 0, '?'}), US_ASCII)).isEqualTo("Error: unknown aphorism.");
    }

    @Test
    void ignores_white_space_around_a_request_as_typed_into_nc() {
        assertThat(Zen.answer("\nSimple is better than?\r\n")).isEqualTo("Complex.");
    }

    @Test
    void answers_a_request_inside_a_larger_buffer() {
        byte[] buffer = "xxBeautiful is better than?yy".getBytes(US_ASCII);
        assertThat(new String(Zen.answer(buffer, 2, 25), US_ASCII)).isEqualTo("Ugly.");
    }

    @Test
    void lists_the_books_questions_first() {
        assertThat(Zen.questions()).startsWith("Beautiful is better than?", "Explicit is better than?", "Simple is better than?");
    }
}
