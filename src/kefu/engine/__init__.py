"""The turn pipeline, the dialogue manager and the responder. No web, database or network imports."""
