package org.bnlab.cli;

import org.bnlab.spec.SettingsTable;

import java.util.ListResourceBundle;

/**
 * The descriptions of the run specification's settings as a picocli resource bundle: an option whose
 * {@code descriptionKey} is a setting's path ({@code data.dataset}) is described as {@code [data.dataset]} followed
 * by the setting's own description ({@link SettingsTable}), so a shorthand option repeats no documentation.
 */
public final class SettingDescriptions extends ListResourceBundle {

    @Override
    protected Object[][] getContents() {
        return SettingsTable.rows().stream()
                .map(row -> new Object[] {row.path(), "[" + row.path() + "] " + plain(row.description())})
                .toArray(Object[][]::new);
    }

    /** Markdown's code marks are noise in a terminal. */
    private static String plain(String description) {
        return description == null ? "" : description.replace("`", "");
    }
}
