"""Knowledge base: ingest a business's documents and FAQs, search them (BM25 + vectors), cite them."""
