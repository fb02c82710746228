package org.multiplex.blocking;

import org.multiplex.kit.grading.Graded;

class ZenRequestReaderTest {

    @Graded(task = "1.1", points = 50)
    void hands_out_a_request_that_arrives_one_byte_per_read() {
    }
}
