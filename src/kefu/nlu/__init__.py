"""Understanding: language id, normalisation, intents with out-of-scope detection, entities."""
