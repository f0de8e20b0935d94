package org.bnlab.kernels;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/** Copies a DL4J layer configuration's fields into an instance of a subclass that adds none of its own. */
final class Fields {
    private Fields() {
    }

    /** Copies every non-static field declared in {@code type} and its superclasses from {@code from} to {@code to}. */
    static <T> void copy(T from, T to, Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    f.set(to, f.get(from));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalStateException("cannot copy " + c.getName() + "." + f.getName(), e);
                }
            }
        }
    }
}
