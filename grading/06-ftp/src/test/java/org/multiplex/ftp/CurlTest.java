package org.multiplex.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiplex.kit.grading.Graded;

/** Tasks 6.4 and 6.5 with another real client: the curl command line lists, downloads and uploads. */
@ExtendWith(Explained.class)
class CurlTest {

    @TempDir
    Path root;
    @TempDir
    Path local;

    /** What a curl run gave: its exit status, and what it printed. */
    private record Run(int status, String output) {
    }

    /** Runs curl with a time limit; its own messages go with its output, for the assertion's message. */
    private static Run curl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--max-time", "6"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("curl finished").isTrue();
        return new Run(process.exitValue(), output);
    }

    private static String url(Fixture ftp, String path) {
        return "ftp://127.0.0.1:" + ftp.address.getPort() + "/" + path;
    }

    @Graded(task = "6.4", points = 3)
    void curl_lists_a_folder_and_downloads_in_passive_and_active_mode() throws Exception {
        Path file = Fixture.randomFile(root, "docs/report.bin", 1_000_000, 11);
        Files.writeString(root.resolve("docs/readme.txt"), "read me\n");
        try (Fixture ftp = new Fixture(root)) {
            Run listing = curl(url(ftp, "docs/"));
            assertThat(listing.status()).as("curl's exit status listing docs/; it said: %s", listing.output()).isZero();
            assertThat(listing.output()).as("curl's listing of docs/").contains("report.bin", "readme.txt", "1000000");
            Run names = curl("--list-only", url(ftp, "docs/"));
            assertThat(names.output().lines()).as("curl --list-only docs/").containsExactly("readme.txt", "report.bin");

            Run passive = curl("-o", local.resolve("passive.bin").toString(), url(ftp, "docs/report.bin"));
            assertThat(passive.status()).as("curl's exit status downloading in passive mode; it said: %s", passive.output()).isZero();
            assertThat(Fixture.sha256(Files.readAllBytes(local.resolve("passive.bin"))))
                    .as("SHA-256 of what curl downloaded in passive mode").isEqualTo(Fixture.sha256(Files.readAllBytes(file)));

            Run active = curl("--ftp-port", "127.0.0.1", "-o", local.resolve("active.bin").toString(),
                    url(ftp, "docs/report.bin"));
            assertThat(active.status()).as("curl's exit status downloading in active mode; it said: %s", active.output()).isZero();
            assertThat(Fixture.sha256(Files.readAllBytes(local.resolve("active.bin"))))
                    .as("SHA-256 of what curl downloaded in active mode").isEqualTo(Fixture.sha256(Files.readAllBytes(file)));

            Run text = curl("--use-ascii", url(ftp, "docs/readme.txt"));
            assertThat(text.output()).as("curl --use-ascii").isEqualTo("read me\n");
        }
    }

    @Graded(task = "6.5", points = 2)
    void curl_uploads_as_a_named_user_and_not_as_anonymous() throws Exception {
        Path upload = local.resolve("upload.bin");
        Fixture.randomFile(local, "upload.bin", 700_000, 12);
        try (Fixture ftp = new Fixture(root)) {
            Run named = curl("--user", Fixture.USER + ":" + Fixture.PASSWORD, "--upload-file", upload.toString(),
                    url(ftp, ""));
            assertThat(named.status()).as("curl's exit status uploading as alice; it said: %s", named.output()).isZero();
            assertThat(Fixture.sha256(Files.readAllBytes(root.resolve("upload.bin")))).as("SHA-256 of what curl uploaded")
                    .isEqualTo(Fixture.sha256(Files.readAllBytes(upload)));

            Run anonymous = curl("--upload-file", upload.toString(), url(ftp, "anonymous.bin"));
            assertThat(anonymous.status()).as("curl's exit status uploading as anonymous (25: upload refused); it said: %s",
                    anonymous.output()).isEqualTo(25);
            assertThat(root.resolve("anonymous.bin")).doesNotExist();
        }
    }
}
