package org.multiplex.kit.grading;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Test;

/**
 * Marks a test method as one graded item: a JUnit test that carries its task and its points.
 *
 * <p>The task number matches a numbered task of the lesson text: task {@code "3.2"} is the second
 * task of lesson 3. A graded method needs no {@code @Test} of its own. Like every test of the
 * course it has a time limit, 30 seconds unless it carries a {@code @Timeout} of its own.
 *
 * <pre>{@code
 * @Graded(task = "1.1", points = 2)
 * void answersARequestSplitAcrossManyWrites() { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Test
public @interface Graded {

    /** Returns the lesson task this item grades, as {@code "1.2"}. */
    String task();

    /** Returns the points this item is worth. */
    int points() default 1;
}
