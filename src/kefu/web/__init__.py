"""Customer-facing web UI: the chat page, the embeddable widget script and their static assets."""
