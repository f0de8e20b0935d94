package org.bnlab.spec;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/**
 * How a setting of a part of the specification ({@link EvalSpec}, {@link MeasureSpec}) counts for a run's identity,
 * marked on its record component so that a new setting says it where it is declared and {@link SpecCodec} needs no
 * list of its own: {@link AddedLater} and {@link ReportOnly}.
 */
public final class SettingKind {

    /**
     * A key added after schema version 2 was first written: where it holds its default it is left out of
     * {@code config.json} and of the run id, so that run folders written before it existed keep their ids. Every
     * new setting is one.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    public @interface AddedLater {
    }

    /**
     * A key that neither training nor any file written during training reads (read by the report or by
     * {@code bnlab analyze}), so not part of a run's identity: varying it reuses the runs.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    public @interface ReportOnly {
    }

    private SettingKind() {
    }

    /**
     * The dotted paths ({@code prefix.snake_case_name}) of the components of {@code part} marked with every one of
     * {@code kinds}, in declaration order; e.g. {@code paths("eval", EvalSpec.class, AddedLater.class,
     * ReportOnly.class)} are the settings of {@code bnlab analyze}.
     */
    @SafeVarargs
    public static List<String> paths(String prefix, Class<? extends Record> part,
                                     Class<? extends java.lang.annotation.Annotation>... kinds) {
        PropertyNamingStrategies.NamingBase snake =
                (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
        List<String> paths = new ArrayList<>();
        for (RecordComponent component : part.getRecordComponents()) {
            if (java.util.Arrays.stream(kinds).allMatch(component::isAnnotationPresent)) {
                paths.add(prefix + "." + snake.translate(component.getName()));
            }
        }
        return List.copyOf(paths);
    }
}
