// Lesson 6: the curl session the lesson text shows. It serves a folder with one file, fetches the
// file with `curl -v`, and prints the commands (">") and replies ("<") of the control connection,
// leaving out curl's own notes. The course build runs it to produce curl-session.txt; to run it
// yourself, from the repository root:
//   mvn -q compile exec:exec@jshell -Dlesson=6 -Dtree=solutions -Djshell.script=lessons/06-ftp/curl-session.jsh
import java.net.*
import java.nio.charset.StandardCharsets
import java.nio.file.*
import java.util.concurrent.TimeUnit
import org.multiplex.ftp.*

Path root = Files.createTempDirectory("ftp-curl")
Files.writeString(root.resolve("hello.txt"), "Hello\n")
FtpServer server = new FtpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), FtpServer.Config.of(root, Users.of()))
InetSocketAddress address = server.start()

Process curl = new ProcessBuilder("curl", "-v", "-s", "-o", "/dev/null",
        "ftp://127.0.0.1:" + address.getPort() + "/hello.txt").redirectErrorStream(true).start()
List<String> said = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList()
if (!curl.waitFor(30, TimeUnit.SECONDS) || curl.exitValue() != 0) {
    throw new IllegalStateException("curl failed:\n" + String.join("\n", said));
}
said.stream().filter(line -> line.startsWith("< ") || line.startsWith("> ")).forEach(System.out::println)

server.close()
Files.delete(root.resolve("hello.txt"))
Files.delete(root)
