package org.multiplex.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Lists of cores as Linux writes them and taskset reads them, and dealt out to jobs. */
class AffinityTest {

    @Test
    void reads_a_list_of_cores_as_linux_writes_it_and_writes_it_back_for_taskset() {
        assertThat(Affinity.parse("0")).containsExactly(0);
        assertThat(Affinity.parse("0-1")).containsExactly(0, 1);
        assertThat(Affinity.parse("0-2,8,10-11")).containsExactly(0, 1, 2, 8, 10, 11);
        assertThat(Affinity.list(List.of(0, 1, 2, 8))).isEqualTo("0,1,2,8");
        assertThat(Affinity.prefix(List.of(3))).containsExactly("taskset", "-c", "3");
    }

    @Test
    void deals_every_core_to_one_job_and_each_job_at_least_one() {
        assertThat(Affinity.deal(List.of(0, 1), 2)).containsExactly(List.of(0), List.of(1));
        assertThat(Affinity.deal(List.of(0, 1, 2, 3, 4), 2)).containsExactly(List.of(0, 2, 4), List.of(1, 3));
        assertThat(Affinity.deal(List.of(4, 5, 6), 3)).containsExactly(List.of(4), List.of(5), List.of(6));
    }
}
