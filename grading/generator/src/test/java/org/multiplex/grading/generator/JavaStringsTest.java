package org.multiplex.grading.generator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JavaStringsTest {

    @Test
    void quotes_plain_text_as_it_is() {
        assertThat(JavaStrings.literal("read until a request ends with '?'"))
                .isEqualTo("\"read until a request ends with '?'\"");
    }

    @Test
    void escapes_quotes_and_backslashes() {
        assertThat(JavaStrings.literal("say \"hi\" \\ bye")).isEqualTo("\"say \\\"hi\\\" \\\\ bye\"");
    }

    @Test
    void keeps_a_backslash_u_in_the_text_from_reading_as_a_unicode_escape() {
        assertThat(JavaStrings.literal("\\u0022")).isEqualTo("\"\\\\u0022\"");
    }

    @Test
    void escapes_control_characters() {
        assertThat(JavaStrings.literal("a\tb\u0007")).isEqualTo("\"a\\tb\\u0007\"");
    }
}
