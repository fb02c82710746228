package org.multiplex.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The lab reads which cores it may use as Linux writes them, and keeps the last for the server. */
class CoresTest {

    @Test
    void reads_a_list_of_cores_as_linux_writes_it() {
        assertThat(Cores.parse("0")).containsExactly(0);
        assertThat(Cores.parse("0-1")).containsExactly(0, 1);
        assertThat(Cores.parse("0-2,8,10-11")).containsExactly(0, 1, 2, 8, 10, 11);
    }

    @Test
    void the_server_gets_the_last_core_and_the_lab_every_other() {
        Cores.split().ifPresent(cores -> {
            assertThat(Cores.parse(cores.lab())).isNotEmpty().doesNotContain(cores.server())
                    .allMatch(core -> core < cores.server());
            assertThat(cores.serverPrefix()).containsExactly("taskset", "-c", String.valueOf(cores.server()));
        });
    }
}
