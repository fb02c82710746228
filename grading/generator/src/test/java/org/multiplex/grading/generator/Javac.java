package org.multiplex.grading.generator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiles generated exercise files, against a stand-in for the kit's {@code Todo}, and runs them. */
final class Javac {

    // The kit stays off these tests' class path. The stand-in has the one constructor a stub
    // calls, and the kit's message format, so that a test sees what a student would.
    private static final String TODO = """
            package org.multiplex.kit;

            public final class Todo extends UnsupportedOperationException {
                public Todo(String task, String whatToDo) {
                    super("TODO(" + task + "): " + whatToDo);
                }
            }
            """;

    private final Path classes;

    private Javac(Path classes) {
        this.classes = classes;
    }

    /**
     * Compiles Java files together with the stand-in {@code Todo}, treating warnings as errors.
     *
     * @param work    a scratch folder
     * @param sources the files to compile
     * @return the compiled classes
     * @throws AssertionError with javac's messages if they do not compile
     */
    static Javac compile(Path work, Path... sources) {
        try {
            Path todo = work.resolve("kit/org/multiplex/kit/Todo.java");
            Files.createDirectories(todo.getParent());
            Files.writeString(todo, TODO);
            Path classes = Files.createDirectories(work.resolve("classes"));
            List<Path> files = new ArrayList<>(List.of(sources));
            files.add(todo);

            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            try (StandardJavaFileManager fileManager = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
                boolean compiled = javac.getTask(new StringWriter(), fileManager, diagnostics,
                        List.of("-d", classes.toString(), "-Xlint:all,-serial", "-Werror"), null,
                        fileManager.getJavaFileObjectsFromPaths(files)).call();
                if (!compiled) {
                    StringBuilder messages = new StringBuilder("javac failed:");
                    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                        messages.append('\n').append(d.getSource() == null ? "" : d.getSource().getName())
                                .append(':').append(d.getLineNumber()).append(": ").append(d.getMessage(Locale.ROOT));
                    }
                    throw new AssertionError(messages);
                }
            }
            return new Javac(classes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Calls a static method of a compiled class and returns what it threw.
     *
     * @param className the class, in full
     * @param method    a static method without parameters
     * @return the exception the method threw, or null if it returned
     */
    Throwable thrownBy(String className, String method) {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            Method m = loader.loadClass(className).getDeclaredMethod(method);
            m.setAccessible(true);
            m.invoke(null);
            return null;
        } catch (InvocationTargetException e) {
            return e.getCause();
        } catch (ReflectiveOperationException | IOException e) {
            throw new AssertionError("cannot call " + className + "." + method, e);
        }
    }
}
