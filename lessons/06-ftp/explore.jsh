// Lesson 6, live: an FtpServer on a temporary folder, and a bare control connection to it.
// jshell runs this file quietly, so every step prints what it sent and what came back.
// When it is done the prompt is yours: send("...") and passive() are still there.
import java.io.*
import java.net.*
import java.nio.charset.StandardCharsets
import java.nio.file.*
import org.multiplex.ftp.*

// A folder with a file and a subfolder, served to anonymous and to alice.
Path root = Files.createTempDirectory("ftp-explore")
Files.writeString(root.resolve("hello.txt"), "Hello over FTP\n")
Files.createDirectories(root.resolve("docs"))
FtpServer server = new FtpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), FtpServer.Config.of(root, Users.of("alice", "secret")))
InetSocketAddress address = server.start()
System.out.println("FtpServer listening on " + address + ", serving " + root)

// The control connection: one line out, and the whole reply back (multi-line ones too).
Socket control = new Socket(address.getAddress(), address.getPort())
BufferedReader replies = new BufferedReader(new InputStreamReader(control.getInputStream(), StandardCharsets.UTF_8))
String reply() throws IOException {
    String line = replies.readLine();
    StringBuilder all = new StringBuilder(line);
    if (line.length() > 3 && line.charAt(3) == '-') {
        String end = line.substring(0, 3) + " ";
        do { line = replies.readLine(); all.append("\n< ").append(line); } while (!line.startsWith(end));
    }
    return all.toString();
}
void send(String command) throws IOException {
    control.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
    System.out.println("> " + command);
    System.out.println("< " + reply());
}
System.out.println("< " + reply())
send("USER alice")
send("PASS secret")
send("SYST")
send("FEAT")
send("PWD")
send("CWD /..")
send("RETR ../../etc/passwd")

// A passive data connection, by hand: EPSV names a port, we connect, then ask for a listing.
Socket passive() throws IOException {
    control.getOutputStream().write("EPSV\r\n".getBytes(StandardCharsets.US_ASCII));
    String answer = reply();
    System.out.println("> EPSV\n< " + answer);
    int port = Integer.parseInt(answer.replaceAll(".*\\|\\|\\|(\\d+)\\|.*", "$1"));
    return new Socket(address.getAddress(), port);
}
Socket data = passive()
send("LIST")
System.out.print(new String(data.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
data.close()
System.out.println("< " + reply())

// Who did all that? Every count the server made, it made on the thread that did the work.
System.out.println("threads that served this session: " + server.stats().threads().values())

System.out.println()
System.out.println("Now try it yourself, e.g.: send(\"MKD notes\"); send(\"SIZE hello.txt\"); send(\"MDTM hello.txt\")")
