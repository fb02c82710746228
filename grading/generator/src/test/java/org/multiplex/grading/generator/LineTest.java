package org.multiplex.grading.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class LineTest {

    @Test
    void keeps_each_lines_own_ending() {
        assertThat(Line.split("a\r\nb\nc\rd")).containsExactly(
                new Line("a", "\r\n"), new Line("b", "\n"), new Line("c", "\r"), new Line("d", ""));
    }

    @Test
    void puts_a_text_back_together_byte_for_byte() {
        String text = "x\r\n\r\n\ny\n";
        StringBuilder joined = new StringBuilder();
        for (Line line : Line.split(text)) {
            joined.append(line.text()).append(line.ending());
        }
        assertThat(joined).hasToString(text);
    }

    @Test
    void finds_no_lines_in_an_empty_text() {
        assertThat(Line.split("")).isEqualTo(List.of());
    }
}
