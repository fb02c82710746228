package org.multiplex.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.multiplex.kit.Affinity;

/** The lab keeps the last of its cores for the server and the others for itself. */
class CoresTest {

    @Test
    void the_server_gets_the_last_core_and_the_lab_every_other() {
        // The course runs on Linux with two cores or more; elsewhere the lab does not pin.
        assumeThat(Affinity.cores().map(List::size).orElse(0)).as("cores this process may pin to").isGreaterThanOrEqualTo(2);
        Cores cores = Cores.split().orElseThrow();
        assertThat(cores.lab()).isNotEmpty().doesNotContain(cores.server()).allMatch(core -> core < cores.server());
        assertThat(cores.serverPrefix()).containsExactly("taskset", "-c", String.valueOf(cores.server()));
    }
}
