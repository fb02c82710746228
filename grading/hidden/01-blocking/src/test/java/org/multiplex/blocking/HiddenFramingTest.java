package org.multiplex.blocking;

import org.multiplex.blocking.ZenRequestReaderTest.Requests;
import org.multiplex.kit.grading.Graded;

/** Hidden checks of task 1.1: the framing, with pieces the public suite does not try. */
class HiddenFramingTest {

    @Graded(task = "1.1", points = 2)
    void hands_out_requests_that_arrive_two_bytes_at_a_time_across_their_boundaries() {
        ZenRequestReader reader = new ZenRequestReader(FakeStream.inPieces("Now is better than never?Sparse is better than?", 2));

        Requests.expect(reader, "Now is better than never?", "two requests arrived two bytes per read");
        Requests.expect(reader, "Sparse is better than?", "two requests arrived two bytes per read, the read '?S'"
                + " ending the first: does next() keep the bytes after a '?' for the next request?");
        Requests.expectCleanEnd(reader, "the stream ended after its two requests");
    }

    @Graded(task = "1.1")
    void hands_out_a_request_that_is_only_the_question_mark() {
        ZenRequestReader reader = new ZenRequestReader(FakeStream.inPieces("?", 2));

        Requests.expect(reader, "?", "a request of one byte, '?' alone");
        Requests.expectCleanEnd(reader, "the stream ended after its only request");
    }
}
