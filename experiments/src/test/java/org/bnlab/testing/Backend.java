package org.bnlab.testing;

import org.bnlab.backend.BackendSetup;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** JUnit extension that applies {@link BackendSetup} before a test class touches ND4J (as {@code main} does). */
public final class Backend implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        BackendSetup.configure();
    }
}
